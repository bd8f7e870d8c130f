package com.engarde.signupsync.webhooks;

import com.engarde.signupsync.persistence.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;

/** Counts refused deliveries per source, UTC day and reason. The refused delivery itself is not kept. */
@Singleton
public class WebhookRejections {

    private final Database database;
    private final Clock clock;

    public WebhookRejections(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public void count(String sourceType, Rejection reason) {
        Instant now = clock.instant();
        database.transaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO webhook_rejections AS r (source_type, day, reason, count, last_at)
                    VALUES (?, ?, ?, 1, ?)
                    ON CONFLICT (source_type, day, reason) DO UPDATE SET count = r.count + 1,
                        last_at = GREATEST(r.last_at, EXCLUDED.last_at)
                    """)) {
                upsert.setString(1, sourceType);
                upsert.setDate(2, Date.valueOf(LocalDate.ofInstant(now, ZoneOffset.UTC)));
                upsert.setString(3, reason.id());
                upsert.setTimestamp(4, Timestamp.from(now));
                return upsert.executeUpdate();
            }
        });
    }

    /** The day's counts by reason (UTC day). */
    public Map<Rejection, Long> on(String sourceType, LocalDate day) {
        return database.read(connection -> counts(connection, sourceType, day));
    }

    private static Map<Rejection, Long> counts(Connection connection, String sourceType, LocalDate day)
            throws SQLException {
        Map<Rejection, Long> counts = new EnumMap<>(Rejection.class);
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT reason, count FROM webhook_rejections WHERE source_type = ? AND day = ?")) {
            select.setString(1, sourceType);
            select.setDate(2, Date.valueOf(day));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(Rejection.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)), rs.getLong(2));
                }
            }
        }
        return counts;
    }
}
