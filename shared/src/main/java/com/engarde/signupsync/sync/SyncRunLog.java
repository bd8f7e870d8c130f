package com.engarde.signupsync.sync;

import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

/**
 * The run log (funnel_sync_logs). At most one run per source is {@code running}: the database's partial
 * unique index guarantees it, so a second start answers the run that is already going.
 */
@Singleton
public class SyncRunLog {

    private static final String COLUMNS = """
            id, source_type, trigger, status, started_at, finished_at, fetched_count, created_count, updated_count,
            unchanged_count, failed_count, cursor_before::text AS cursor_before, cursor_after::text AS cursor_after,
            error_message
            """;

    private final Database database;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final SyncMetrics metrics;

    public SyncRunLog(Database database, ObjectMapper mapper, Clock clock, SyncMetrics metrics) {
        this.database = database;
        this.mapper = mapper;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** A start request's answer: the new run, or ({@code started} false) the one already running. */
    public record Start(boolean started, SyncRun run) {
    }

    public Start start(String sourceType, SyncTrigger trigger, JsonNode cursorBefore) {
        return database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO funnel_sync_logs"
                    + " (source_type, trigger, status, started_at, cursor_before, cursor_after)"
                    + " VALUES (?, ?, 'running', ?, ?::jsonb, ?::jsonb)"
                    + " ON CONFLICT (source_type) WHERE status = 'running' DO NOTHING RETURNING " + COLUMNS)) {
                insert.setString(1, sourceType);
                insert.setString(2, trigger.id());
                insert.setTimestamp(3, Timestamp.from(clock.instant()));
                insert.setString(4, json(cursorBefore));
                insert.setString(5, json(cursorBefore));
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        return new Start(true, read(rs));
                    }
                }
            }
            return new Start(false, running(connection, sourceType).orElseThrow(
                    () -> new IllegalStateException("a run of " + sourceType + " was running and is gone")));
        });
    }

    /** Adds a page's counts and checkpoints the cursor, inside the page's own transaction. */
    public void progress(Connection connection, long runId, SyncCounts page, JsonNode cursorAfter) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE funnel_sync_logs SET fetched_count = fetched_count + ?, created_count = created_count + ?,
                    updated_count = updated_count + ?, unchanged_count = unchanged_count + ?,
                    failed_count = failed_count + ?, cursor_after = COALESCE(?::jsonb, cursor_after)
                WHERE id = ?
                """)) {
            update.setInt(1, page.fetched());
            update.setInt(2, page.created());
            update.setInt(3, page.updated());
            update.setInt(4, page.unchanged());
            update.setInt(5, page.failed());
            update.setString(6, json(cursorAfter));
            update.setLong(7, runId);
            update.executeUpdate();
        }
    }

    /**
     * Ends a run. The error message is shown to users: vendor status and message, never a secret. A success is
     * also reported to CloudWatch ({@link SyncMetrics}), after it is committed.
     */
    public SyncRun finish(long runId, SyncStatus status, String errorMessage) {
        if (status == SyncStatus.RUNNING) {
            throw new IllegalArgumentException("a run finishes as succeeded, partial or failed");
        }
        SyncRun finished = database.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE funnel_sync_logs"
                    + " SET status = ?, finished_at = ?, error_message = ? WHERE id = ? RETURNING " + COLUMNS)) {
                update.setString(1, status.id());
                update.setTimestamp(2, Timestamp.from(clock.instant()));
                update.setString(3, errorMessage);
                update.setLong(4, runId);
                try (ResultSet rs = update.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no sync run " + runId);
                    }
                    return read(rs);
                }
            }
        });
        if (finished.status() == SyncStatus.SUCCEEDED) {
            metrics.succeeded(finished.sourceType());
        }
        return finished;
    }

    public Optional<SyncRun> find(long runId) {
        return database.read(connection -> one(connection, "SELECT " + COLUMNS + " FROM funnel_sync_logs WHERE id = ?",
                ps -> ps.setLong(1, runId)));
    }

    public Optional<SyncRun> latest(String sourceType) {
        return database.read(connection -> one(connection, "SELECT " + COLUMNS
                + " FROM funnel_sync_logs WHERE source_type = ? ORDER BY started_at DESC, id DESC LIMIT 1",
                ps -> ps.setString(1, sourceType)));
    }

    public Optional<SyncRun> lastSucceeded(String sourceType) {
        return database.read(connection -> one(connection, "SELECT " + COLUMNS
                + " FROM funnel_sync_logs WHERE source_type = ? AND status = 'succeeded'"
                + " ORDER BY started_at DESC, id DESC LIMIT 1", ps -> ps.setString(1, sourceType)));
    }

    public Optional<SyncRun> running(String sourceType) {
        return database.read(connection -> running(connection, sourceType));
    }

    private Optional<SyncRun> running(Connection connection, String sourceType) throws SQLException {
        return one(connection, "SELECT " + COLUMNS + " FROM funnel_sync_logs WHERE source_type = ? AND status = 'running'",
                ps -> ps.setString(1, sourceType));
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private Optional<SyncRun> one(Connection connection, String sql, Binder binder) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            binder.bind(select);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private SyncRun read(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new SyncRun(rs.getLong("id"), rs.getString("source_type"), SyncTrigger.fromId(rs.getString("trigger")),
                SyncStatus.fromId(rs.getString("status")), rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant(),
                new SyncCounts(rs.getInt("fetched_count"), rs.getInt("created_count"), rs.getInt("updated_count"),
                        rs.getInt("unchanged_count"), rs.getInt("failed_count")),
                parse(rs.getString("cursor_before")), parse(rs.getString("cursor_after")), rs.getString("error_message"));
    }

    private String json(JsonNode node) {
        try {
            return node == null ? null : mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode parse(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored cursor is not JSON", e);
        }
    }
}
