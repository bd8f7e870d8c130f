package com.engarde.signupsync.sync.internal;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.sync.FailedRecord;
import com.engarde.signupsync.sync.SyncCounts;
import com.engarde.signupsync.observability.ServiceMetric;
import com.engarde.signupsync.observability.ServiceMetrics;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run log (funnel_sync_logs): the engine's own bookkeeping, in {@code internal} so that a connector does
 * not reach it (connectors get the engine's contract in {@code sync}). Public for the engine's parts in
 * {@code sync}, the run status read, and tests that drive runs.
 * <p>
 * At most one run per source is {@code running}: the database's partial
 * unique index guarantees it, so a second start answers the run that is already going.
 * <p>
 * A run is carried out by one invocation at a time, its {@code owner}: {@link #claim} takes an unclaimed or
 * abandoned run, every checkpoint ({@link #progress(Connection, long, String, SyncCounts, JsonNode, List, int)})
 * and the end ({@link #finish(long, String, SyncStatus, String, int)}) only apply while the caller still owns it.
 * A running run without a heartbeat for {@code signup.sync.stale-after} (default 16 minutes: longer than a
 * Lambda can live) was abandoned by a dead invocation; starting the source again takes it over. A run held by a
 * process of this host that is gone ({@link RunOwner#gone}) is taken over at once.
 */
@Singleton
public class SyncRunLog {

    private static final int FAILED_RECORDS_KEPT = 100;

    private static final String COLUMNS = """
            id, source_type, trigger, status, started_at, finished_at, fetched_count, created_count, updated_count,
            unchanged_count, failed_count, suppressed_count, cursor_before::text AS cursor_before, cursor_after::text AS cursor_after,
            error_message, heartbeat_at, continues_run_id, failed_records::text AS failed_records, request_count,
            not_before
            """;

    /** The latest checkpoint of a source: where its next run starts. */
    private static final String LATEST_CURSOR = "(SELECT cursor_after FROM funnel_sync_logs"
            + " WHERE source_type = ? ORDER BY id DESC LIMIT 1)";

    private final Database database;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ServiceMetrics metrics;
    private final Duration staleAfter;

    public SyncRunLog(Database database, ObjectMapper mapper, Clock clock, ServiceMetrics metrics,
                      @Value("${signup.sync.stale-after:16m}") Duration staleAfter) {
        this.database = database;
        this.mapper = mapper;
        this.clock = clock;
        this.metrics = metrics;
        this.staleAfter = staleAfter;
    }

    /**
     * A start request's answer: the new run, or ({@code started} false) the one already running. When a
     * stale run was in the way, {@code abandoned} is its id: it was failed and the new run resumes its checkpoint.
     */
    public record Start(boolean started, SyncRun run, Long abandoned) {
        public Start(boolean started, SyncRun run) {
            this(started, run, null);
        }
    }

    /** Starts a run of the source from the cursor given. */
    public Start start(String sourceType, SyncTrigger trigger, JsonNode cursorBefore) {
        return start(sourceType, trigger, cursorBefore, false);
    }

    /** Starts a run of the source from its latest checkpoint (null when it has never run). */
    public Start start(String sourceType, SyncTrigger trigger) {
        return start(sourceType, trigger, null, true);
    }

    private Start start(String sourceType, SyncTrigger trigger, JsonNode cursorBefore, boolean fromLatest) {
        return database.transaction(connection -> {
            Long abandoned = null;
            int ended = 0;
            // Twice at most: once more after failing a stale run that was in the way.
            for (int attempt = 0; attempt < 2; attempt++) {
                Instant now = clock.instant();
                String cursor = fromLatest ? LATEST_CURSOR : "?::jsonb";
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO funnel_sync_logs"
                        + " (source_type, trigger, status, started_at, heartbeat_at, cursor_before, cursor_after)"
                        + " SELECT ?, ?, 'running', ?, ?, c, c FROM (SELECT " + cursor + " AS c) AS checkpoint"
                        + " ON CONFLICT (source_type) WHERE status = 'running' DO NOTHING RETURNING " + COLUMNS)) {
                    insert.setString(1, sourceType);
                    insert.setString(2, trigger.id());
                    insert.setTimestamp(3, Timestamp.from(now));
                    insert.setTimestamp(4, Timestamp.from(now));
                    insert.setString(5, fromLatest ? sourceType : json(cursorBefore));
                    try (ResultSet rs = insert.executeQuery()) {
                        if (rs.next()) {
                            return new Start(true, read(rs), abandoned);
                        }
                    }
                }
                Optional<SyncRun> current = running(connection, sourceType);
                if (current.isEmpty()) {
                    // The run in the way ended between the insert and this read (each statement reads anew):
                    // the insert is tried again rather than the request failed.
                    if (++ended > 5) {
                        throw new IllegalStateException("a run of " + sourceType + " kept ending while this one started");
                    }
                    attempt--;
                    continue;
                }
                SyncRun running = current.get();
                if (running.notBefore() != null && !running.waitsAt(now) && unclaimed(connection, running.id())) {
                    // A continuation that waited for a quota and is due: this request hands it to the bus.
                    return new Start(true, running, abandoned);
                }
                String goneOwner = isStale(running, now) ? null : owner(connection, running.id()).filter(RunOwner::gone).orElse(null);
                if (attempt > 0 || (goneOwner == null && !isStale(running, now))
                        || !failAbandoned(connection, running, now, goneOwner)) {
                    return new Start(false, running, abandoned);
                }
                abandoned = running.id();
            }
            throw new IllegalStateException("unreachable");
        });
    }

    /** No sign of life for the stale limit; a continuation waiting for a quota is counted from its not-before time. */
    private boolean isStale(SyncRun run, Instant now) {
        Instant alive = run.notBefore() != null && run.notBefore().isAfter(run.heartbeatAt()) ? run.notBefore() : run.heartbeatAt();
        return alive.isBefore(now.minus(staleAfter));
    }

    private boolean unclaimed(Connection connection, long runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM funnel_sync_logs WHERE id = ? AND status = 'running' AND owner IS NULL")) {
            select.setLong(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The run's current owner; empty while nobody has claimed it. */
    private static Optional<String> owner(Connection connection, long runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT owner FROM funnel_sync_logs WHERE id = ?")) {
            select.setLong(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Fails a run abandoned by its owner: silent past the stale limit, or ({@code goneOwner} not null) held by a
     * process of this host that no longer runs, which is known at once rather than after the stale limit.
     */
    private boolean failAbandoned(Connection connection, SyncRun run, Instant now, String goneOwner) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE funnel_sync_logs"
                + " SET status = 'failed', finished_at = ?, owner = NULL, error_message = ?"
                + " WHERE id = ? AND status = 'running' AND (GREATEST(heartbeat_at, not_before) < ? OR owner = ?)")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, goneOwner != null
                    ? "abandoned: the process carrying it out (pid " + RunOwner.pid(goneOwner).orElse("?")
                            + ") stopped without handing it back; the next run resumes from its last checkpoint"
                    : "abandoned: no sign of life since " + run.heartbeatAt()
                            + " (the invocation carrying it out stopped); the next run resumes from its last checkpoint");
            update.setLong(3, run.id());
            update.setTimestamp(4, Timestamp.from(now.minus(staleAfter)));
            update.setString(5, goneOwner);
            return update.executeUpdate() == 1;
        }
    }

    /**
     * Makes {@code owner} the one invocation carrying the run out, if the run is still running, is not waiting
     * for its not-before time, and nobody else holds it (or its holder went silent past the stale limit).
     * Empty: leave the run alone.
     */
    public Optional<SyncRun> claim(long runId, String owner) {
        Instant now = clock.instant();
        return database.transaction(connection -> one(connection, "UPDATE funnel_sync_logs SET owner = ?, heartbeat_at = ?"
                + " WHERE id = ? AND status = 'running' AND (not_before IS NULL OR not_before <= ?)"
                + " AND (owner IS NULL OR owner = ? OR heartbeat_at < ?)"
                + " RETURNING " + COLUMNS, ps -> {
                    ps.setString(1, owner);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setLong(3, runId);
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.setString(5, owner);
                    ps.setTimestamp(6, Timestamp.from(now.minus(staleAfter)));
                }));
    }

    /**
     * The owner's checkpoint, inside the page's own transaction: counts, cursor, the page's failed records and
     * the heartbeat. False when {@code owner} no longer holds the run: the caller must roll the page back.
     */
    public boolean progress(Connection connection, long runId, String owner, SyncCounts page, JsonNode cursorAfter,
                            List<FailedRecord> failures, int requests) throws SQLException {
        return update(connection, runId, owner, page, cursorAfter, failures, requests);
    }

    private boolean update(Connection connection, long runId, String owner, SyncCounts page, JsonNode cursorAfter,
                           List<FailedRecord> failures, int requests) throws SQLException {
        ArrayNode failed = mapper.createArrayNode();
        for (FailedRecord f : failures.subList(0, Math.min(failures.size(), FAILED_RECORDS_KEPT))) {
            failed.addObject().put("external_id", f.externalId()).put("reason", f.reason());
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE funnel_sync_logs SET fetched_count = fetched_count + ?, created_count = created_count + ?,
                    updated_count = updated_count + ?, unchanged_count = unchanged_count + ?,
                    failed_count = failed_count + ?, cursor_after = COALESCE(?::jsonb, cursor_after), heartbeat_at = ?,
                    request_count = request_count + ?, suppressed_count = suppressed_count + ?,
                    failed_records = CASE WHEN ? = 0 OR jsonb_array_length(failed_records) >= ? THEN failed_records
                        ELSE (SELECT jsonb_agg(f) FROM (SELECT f FROM jsonb_array_elements(failed_records || ?::jsonb) f
                                                        LIMIT ?) kept) END
                WHERE id = ? AND status = 'running' AND owner = ?
                """)) {
            update.setInt(1, page.fetched());
            update.setInt(2, page.created());
            update.setInt(3, page.updated());
            update.setInt(4, page.unchanged());
            update.setInt(5, page.failed());
            update.setString(6, json(cursorAfter));
            update.setTimestamp(7, Timestamp.from(clock.instant()));
            update.setInt(8, requests);
            update.setInt(9, page.suppressed());
            update.setInt(10, failed.size());
            update.setInt(11, FAILED_RECORDS_KEPT);
            update.setString(12, failed.toString());
            update.setInt(13, FAILED_RECORDS_KEPT);
            update.setLong(14, runId);
            update.setString(15, owner);
            return update.executeUpdate() == 1;
        }
    }

    /**
     * The owner ends its run; empty when it no longer holds it (taken over) or the run already ended. The error
     * message is shown to users: vendor status and message, never a secret. A success is also reported to
     * CloudWatch ({@link ServiceMetrics}), after it is committed.
     */
    public Optional<SyncRun> finish(long runId, String owner, SyncStatus status, String errorMessage, int requests) {
        if (status == SyncStatus.RUNNING) {
            throw new IllegalArgumentException("a run finishes as succeeded, partial or failed");
        }
        Optional<SyncRun> finished = database.transaction(connection -> end(connection, runId, owner, status, errorMessage,
                requests));
        finished.filter(run -> run.status() == SyncStatus.SUCCEEDED).ifPresent(run -> metrics.count(ServiceMetric.SYNC_SUCCEEDED, run.sourceType()));
        return finished;
    }

    private Optional<SyncRun> end(Connection connection, long runId, String owner, SyncStatus status, String errorMessage,
                                  int requests) throws SQLException {
        return one(connection, "UPDATE funnel_sync_logs SET status = ?, finished_at = ?, error_message = ?,"
                + " request_count = request_count + ?"
                + " WHERE id = ? AND status = 'running' AND owner = ? RETURNING " + COLUMNS, ps -> {
                    ps.setString(1, status.id());
                    ps.setTimestamp(2, Timestamp.from(clock.instant()));
                    ps.setString(3, errorMessage);
                    ps.setInt(4, requests);
                    ps.setLong(5, runId);
                    ps.setString(6, owner);
                });
    }

    /**
     * The owner's run reached its time budget: in one transaction it ends as partial and a continuation run
     * starts from its checkpoint, unclaimed, for the next invocation. Empty when the owner no longer holds it.
     */
    public Optional<SyncRun> continueAs(long runId, String owner, String message, int requests) {
        return continueAs(runId, owner, message, requests, null);
    }

    /**
     * As {@link #continueAs(long, String, String, int)}, for a continuation that may not be carried out before
     * {@code notBefore} (a vendor's quota resets then); null: at once.
     */
    public Optional<SyncRun> continueAs(long runId, String owner, String message, int requests, Instant notBefore) {
        return database.transaction(connection -> {
            Optional<SyncRun> ended = end(connection, runId, owner, SyncStatus.PARTIAL, message, requests);
            if (ended.isEmpty()) {
                return Optional.empty();
            }
            SyncRun previous = ended.get();
            Instant now = clock.instant();
            return one(connection, "INSERT INTO funnel_sync_logs (source_type, trigger, status, started_at, heartbeat_at,"
                    + " cursor_before, cursor_after, continues_run_id, not_before) VALUES (?, 'continuation', 'running', ?, ?,"
                    + " ?::jsonb, ?::jsonb, ?, ?) RETURNING " + COLUMNS, ps -> {
                        ps.setString(1, previous.sourceType());
                        ps.setTimestamp(2, Timestamp.from(now));
                        ps.setTimestamp(3, Timestamp.from(now));
                        ps.setString(4, json(previous.cursorAfter()));
                        ps.setString(5, json(previous.cursorAfter()));
                        ps.setLong(6, previous.id());
                        ps.setTimestamp(7, notBefore == null ? null : Timestamp.from(notBefore));
                    });
        });
    }

    /** Fails a run nobody has claimed (its request could not be delivered); a claimed run is left alone. */
    public boolean abandon(long runId, String message) {
        return database.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE funnel_sync_logs"
                    + " SET status = 'failed', finished_at = ?, error_message = ?"
                    + " WHERE id = ? AND status = 'running' AND owner IS NULL")) {
                update.setTimestamp(1, Timestamp.from(clock.instant()));
                update.setString(2, message);
                update.setLong(3, runId);
                return update.executeUpdate() == 1;
            }
        });
    }

    public Optional<SyncRun> find(long runId) {
        return database.read(connection -> one(connection, "SELECT " + COLUMNS + " FROM funnel_sync_logs WHERE id = ?",
                ps -> ps.setLong(1, runId)));
    }

    /** The run of the same source started just before {@code runId}. */
    public Optional<SyncRun> previous(String sourceType, long runId) {
        return database.read(connection -> one(connection, "SELECT " + COLUMNS
                + " FROM funnel_sync_logs WHERE source_type = ? AND id < ? ORDER BY id DESC LIMIT 1", ps -> {
                    ps.setString(1, sourceType);
                    ps.setLong(2, runId);
                }));
    }

    public Optional<SyncRun> latest(String sourceType) {
        return database.read(connection -> one(connection, "SELECT " + COLUMNS
                + " FROM funnel_sync_logs WHERE source_type = ? ORDER BY started_at DESC, id DESC LIMIT 1",
                ps -> ps.setString(1, sourceType)));
    }

    /** The latest run that has ended, whatever its status. */
    public Optional<SyncRun> latestFinished(String sourceType) {
        return database.read(connection -> one(connection, "SELECT " + COLUMNS
                + " FROM funnel_sync_logs WHERE source_type = ? AND status <> 'running'"
                + " ORDER BY started_at DESC, id DESC LIMIT 1", ps -> ps.setString(1, sourceType)));
    }

    public Optional<SyncRun> lastSucceeded(String sourceType) {
        return database.read(connection -> one(connection, "SELECT " + COLUMNS
                + " FROM funnel_sync_logs WHERE source_type = ? AND status = 'succeeded'"
                + " ORDER BY started_at DESC, id DESC LIMIT 1", ps -> ps.setString(1, sourceType)));
    }

    public Optional<SyncRun> running(String sourceType) {
        return database.read(connection -> running(connection, sourceType));
    }

    /** Every run of a source, oldest first (tests and the benchmark read whole chains of continuations). */
    public List<SyncRun> history(String sourceType) {
        return database.read(connection -> {
            List<SyncRun> runs = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM funnel_sync_logs WHERE source_type = ? ORDER BY id")) {
                select.setString(1, sourceType);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        runs.add(read(rs));
                    }
                }
            }
            return runs;
        });
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
        Timestamp notBefore = rs.getTimestamp("not_before");
        long continues = rs.getLong("continues_run_id");
        Long continuesRunId = rs.wasNull() ? null : continues;
        List<FailedRecord> failed = new ArrayList<>();
        for (JsonNode f : parse(rs.getString("failed_records"))) {
            failed.add(new FailedRecord(f.path("external_id").asText(), f.path("reason").asText()));
        }
        return new SyncRun(rs.getLong("id"), rs.getString("source_type"), SyncTrigger.fromId(rs.getString("trigger")),
                SyncStatus.fromId(rs.getString("status")), rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant(),
                new SyncCounts(rs.getInt("fetched_count"), rs.getInt("created_count"), rs.getInt("updated_count"),
                        rs.getInt("unchanged_count"), rs.getInt("failed_count"), rs.getInt("suppressed_count")),
                parse(rs.getString("cursor_before")), parse(rs.getString("cursor_after")), rs.getString("error_message"),
                rs.getTimestamp("heartbeat_at").toInstant(), continuesRunId, List.copyOf(failed),
                rs.getInt("request_count"), notBefore == null ? null : notBefore.toInstant());
    }

    private String json(JsonNode node) {
        try {
            return node == null || node.isNull() ? null : mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode parse(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not JSON", e);
        }
    }
}
