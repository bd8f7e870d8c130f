package com.engarde.signupsync.platform;

import com.engarde.signupsync.retention.Expiring;
import com.engarde.signupsync.retention.RetentionPeriods;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Raw usage records of the UTC days the rollup has covered and whose retention has passed. The rollups
 * (admin_usage_reports, the view totals, tenant health) are kept: they are what the daily and monthly views read,
 * and a month's rollup is a sum of its days' rows. First the retained horizon ({@code usage_retained_from}) moves
 * forward under the rollup's lock, never past a day still marked dirty (not yet rolled up); then the records of the
 * days before it go. From then on the rollup leaves those days as they are ({@link UsageRollups}).
 */
@Singleton
class UsageRecordRetention implements Expiring {

    private static final String MOVE_HORIZON = """
            INSERT INTO usage_retained_from (day)
            SELECT least(?::date, coalesce((SELECT min(day) FROM usage_dirty_days), ?::date))
            ON CONFLICT (only_row) DO UPDATE SET day = greatest(usage_retained_from.day, excluded.day)
            """;

    private static final String REMOVE = """
            DELETE FROM usage_metrics WHERE id IN (
                SELECT id FROM usage_metrics
                WHERE occurred_at < (SELECT day FROM usage_retained_from)::timestamp AT TIME ZONE 'UTC'
                LIMIT ?)
            """;

    private final RetentionPeriods periods;

    UsageRecordRetention(RetentionPeriods periods) {
        this.periods = periods;
    }

    @Override
    public String kind() {
        return "usage_records";
    }

    @Override
    public int removeBatch(Connection connection, Instant now, int limit) throws SQLException {
        // The rollup holds its lock while it recomputes: then the horizon waits for the next batch or run.
        if (UsageRollups.tryLock(connection)) {
            LocalDate from = periods.usageRecordsFrom(now);
            try (PreparedStatement move = connection.prepareStatement(MOVE_HORIZON)) {
                move.setObject(1, from);
                move.setObject(2, from);
                move.executeUpdate();
            }
        }
        try (PreparedStatement remove = connection.prepareStatement(REMOVE)) {
            remove.setInt(1, limit);
            return remove.executeUpdate();
        }
    }

    /** The first day the rollup may recompute from raw records, or null when no record was ever removed. */
    static LocalDate retainedFrom(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT day FROM usage_retained_from");
             ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getObject(1, LocalDate.class) : null;
        }
    }
}
