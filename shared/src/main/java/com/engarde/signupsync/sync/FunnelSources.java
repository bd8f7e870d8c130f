package com.engarde.signupsync.sync;

import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.persistence.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The funnel_sources table: which sources exist, how their data arrives, which are active. */
@Singleton
class FunnelSources {

    /** A funnel_sources row; kind is pull (we fetch), push (the vendor posts) or api (the backend posts). */
    public record Source(String sourceType, String displayName, String kind, boolean active) {
        public boolean pulled() {
            return "pull".equals(kind);
        }
    }

    private final Database database;

    public FunnelSources(Database database) {
        this.database = database;
    }

    /** The source's row; {@link NotFound} when there is none. */
    public Source require(String sourceType) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT source_type, display_name, kind, active FROM funnel_sources WHERE source_type = ?")) {
                select.setString(1, sourceType);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFound("source_type", "unknown source type '" + sourceType + "'");
                    }
                    return new Source(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4));
                }
            }
        });
    }

    /** The active pull sources, the ones the daily schedule syncs. */
    public List<String> activePull() {
        return database.read(connection -> {
            List<String> types = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT source_type FROM funnel_sources WHERE kind = 'pull' AND active ORDER BY source_type");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
            return types;
        });
    }
}
