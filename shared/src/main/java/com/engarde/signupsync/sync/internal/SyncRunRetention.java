package com.engarde.signupsync.sync.internal;

import com.engarde.signupsync.retention.Expiring;
import com.engarde.signupsync.retention.RetentionPeriods;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Sync runs (funnel_sync_logs rows, with the failed records each lists) that finished before their retention, except
 * those a source still needs whatever their age: its two latest runs (the latest holds the checkpoint the next run
 * resumes from, the one before tells a new run whether it starts a pass), its latest finished and latest succeeded
 * runs (GET /sync/status), and any run a later run continues (continues_run_id, removed once its continuation is).
 * Funnel totals do not read the run log; the records a run wrote stay in the funnel.
 */
@Singleton
class SyncRunRetention implements Expiring {

    private static final String REMOVE = """
            WITH ranked AS (
                SELECT id,
                       row_number() OVER (PARTITION BY source_type ORDER BY id DESC) AS newest,
                       row_number() OVER (PARTITION BY source_type, status <> 'running'
                                          ORDER BY started_at DESC, id DESC) AS newest_finished,
                       row_number() OVER (PARTITION BY source_type, status = 'succeeded'
                                          ORDER BY started_at DESC, id DESC) AS newest_succeeded,
                       status
                FROM funnel_sync_logs),
            needed AS (
                SELECT id FROM ranked
                WHERE newest <= 2 OR (status <> 'running' AND newest_finished = 1)
                   OR (status = 'succeeded' AND newest_succeeded = 1))
            DELETE FROM funnel_sync_logs WHERE id IN (
                SELECT l.id FROM funnel_sync_logs l
                WHERE l.finished_at < ?
                  AND l.id NOT IN (SELECT id FROM needed)
                  AND NOT EXISTS (SELECT 1 FROM funnel_sync_logs c WHERE c.continues_run_id = l.id)
                ORDER BY l.id
                LIMIT ?)
            """;

    private final RetentionPeriods periods;

    SyncRunRetention(RetentionPeriods periods) {
        this.periods = periods;
    }

    @Override
    public String kind() {
        return "sync_runs";
    }

    @Override
    public int removeBatch(Connection connection, Instant now, int limit) throws SQLException {
        try (PreparedStatement remove = connection.prepareStatement(REMOVE)) {
            remove.setTimestamp(1, Timestamp.from(periods.syncRunsBefore(now)));
            remove.setInt(2, limit);
            return remove.executeUpdate();
        }
    }
}
