package com.engarde.signupsync.functions.dataretention;

import com.engarde.signupsync.bus.LambdaHandler;
import com.engarde.signupsync.funnel.Conversions;
import com.engarde.signupsync.funnel.FunnelIngest;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.platform.UsageIngest;
import com.engarde.signupsync.platform.UsageRange;
import com.engarde.signupsync.platform.UsageRollups;
import com.engarde.signupsync.retention.DataRetention;
import com.engarde.signupsync.retention.Expiring;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.engarde.signupsync.testing.UsageRecords.batch;
import static com.engarde.signupsync.testing.UsageRecords.record;
import static com.engarde.signupsync.testing.UsageRecords.uuid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on a held clock: for each kind, a row just past its retention goes and one just within it stays, a second
 * run removes nothing, and the counts the funnel and the usage views read do not move.
 */
class DataRetentionTest {

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(Map.of("test.clock", "mutable", "engarde.database.pool-size", 4));

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final Duration JUST = Duration.ofSeconds(1);
    /** The defaults the deployed function runs with (function.json lists the settings, none is given). */
    private static final Instant DELIVERIES_BEFORE = NOW.minus(Period.ofDays(90));
    private static final Instant RUNS_BEFORE = NOW.minus(Period.ofDays(365));
    private static final Instant INVITATIONS_BEFORE = NOW.minus(Period.ofDays(30));
    /** 13 months before NOW is 2025-05-15T12:00Z: records of the days before 2025-05-15 are past it. */
    private static final Instant USAGE_FROM = Instant.parse("2025-05-15T00:00:00Z");
    private static final String TENANT = uuid(1, 1);

    @BeforeEach
    void holdTheClock() {
        TestClock.INSTANCE.set(NOW);
    }

    private static DataRetention retention() {
        return lambda.harness().context().getBean(DataRetention.class);
    }

    // ---- webhook deliveries ----

    private static long delivery(String key, Instant receivedAt, String status) {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_deliveries (source_type, delivery_key,"
                     + " raw_body, status, received_at, processed_at) VALUES ('poshvip', ?, ?, ?, ?, ?) RETURNING id")) {
            insert.setString(1, key);
            insert.setBytes(2, ("{\"order\":\"" + key + "\",\"email\":\"ada@example.com\"}").getBytes(StandardCharsets.UTF_8));
            insert.setString(3, status);
            insert.setTimestamp(4, Timestamp.from(receivedAt));
            insert.setTimestamp(5, status.equals("received") ? null : Timestamp.from(receivedAt));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> deliveryKeys() {
        return strings("SELECT delivery_key FROM webhook_deliveries");
    }

    @Test
    void webhookDeliveriesPastNinetyDaysGoWhateverTheirStatusAndTheFunnelStays() {
        event("posh-order-1", "2026-01-10T10:00:00Z");
        delivery("outside-processed", DELIVERIES_BEFORE.minus(JUST), "processed");
        delivery("outside-failed", DELIVERIES_BEFORE.minus(JUST), "failed");
        delivery("at-the-cutoff", DELIVERIES_BEFORE, "processed");
        delivery("inside-received", DELIVERIES_BEFORE.plus(JUST), "received");
        Map<String, List<List<Object>>> funnel = funnel();

        DataRetention.Run run = retention().run(TimeBudget.unlimited());

        assertThat(run.complete()).isTrue();
        assertThat(run.removed()).containsEntry("webhook_deliveries", 2L);
        assertThat(deliveryKeys()).containsExactlyInAnyOrder("at-the-cutoff", "inside-received");
        assertThat(funnel()).as("leads, events and the analytics rows").isEqualTo(funnel);
        assertThat(Rows.count("funnel_events")).isEqualTo(1);
        assertThat(retention().run(TimeBudget.unlimited()).removed().values()).as("a second run").containsOnly(0L);
    }

    // ---- sync runs ----

    private static long run(String source, String status, Instant finishedAt, Long continues, String trigger) {
        return Rows.number("INSERT INTO funnel_sync_logs (source_type, trigger, status, started_at, finished_at,"
                        + " heartbeat_at, continues_run_id, failed_records, failed_count)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, '[{\"external_id\":\"a-1\",\"reason\":\"no email\"}]'::jsonb, 1)"
                        + " RETURNING id", source, trigger, status, Timestamp.from(finishedAt.minusSeconds(60)),
                finishedAt == null ? null : Timestamp.from(finishedAt), Timestamp.from(finishedAt), continues);
    }

    private static Set<Long> runIds() {
        Set<Long> ids = new TreeSet<>();
        for (String id : strings("SELECT id::text FROM funnel_sync_logs")) {
            ids.add(Long.parseLong(id));
        }
        return ids;
    }

    @Test
    void syncRunsPastAYearGoWithTheirFailedRecordsButNotARunASourceStillNeeds() {
        long outside = run("easyappointments", "succeeded", RUNS_BEFORE.minus(JUST), null, "schedule");
        long inside = run("easyappointments", "failed", RUNS_BEFORE.plus(JUST), null, "schedule");
        long recentFailed = run("easyappointments", "failed", NOW.minus(Duration.ofDays(2)), null, "schedule");
        long latest = run("easyappointments", "partial", NOW.minus(Duration.ofDays(1)), null, "schedule");
        // Zoom has not run for two years: its last runs hold its checkpoint and its status, whatever their age.
        long zoomOlder = run("zoom", "succeeded", RUNS_BEFORE.minus(Duration.ofDays(400)), null, "schedule");
        long zoomLatest = run("zoom", "failed", RUNS_BEFORE.minus(Duration.ofDays(390)), null, "schedule");
        // Eventbrite: an old chain of continuations goes whole (a run leaves once nothing continues it).
        long chainStart = run("eventbrite", "partial", RUNS_BEFORE.minus(Duration.ofDays(30)), null, "schedule");
        long chainMiddle = run("eventbrite", "partial", RUNS_BEFORE.minus(Duration.ofDays(29)), chainStart, "continuation");
        long chainEnd = run("eventbrite", "succeeded", RUNS_BEFORE.minus(Duration.ofDays(28)), chainMiddle, "continuation");
        long eventbriteOk = run("eventbrite", "succeeded", NOW.minus(Duration.ofDays(3)), null, "schedule");
        long eventbriteA = run("eventbrite", "failed", NOW.minus(Duration.ofDays(2)), null, "schedule");
        long eventbriteB = run("eventbrite", "failed", NOW.minus(Duration.ofDays(1)), null, "schedule");
        // Easyappointments' latest succeeded run is the one past a year: GET /sync/status names it, so it stays.
        assertThat(runIds()).hasSize(12);

        DataRetention.Run run = retention().run(TimeBudget.unlimited());

        assertThat(run.removed()).containsEntry("sync_runs", 3L);
        assertThat(runIds()).containsExactlyInAnyOrder(outside, inside, recentFailed, latest, zoomOlder, zoomLatest,
                eventbriteOk, eventbriteA, eventbriteB);
        assertThat(runIds()).doesNotContain(chainStart, chainMiddle, chainEnd);

        // Once a newer run succeeds, the old succeeded run is no longer needed and goes.
        long newer = run("easyappointments", "succeeded", NOW.minus(Duration.ofHours(1)), null, "schedule");
        assertThat(retention().run(TimeBudget.unlimited()).removed()).containsEntry("sync_runs", 1L);
        assertThat(runIds()).contains(inside, recentFailed, latest, newer).doesNotContain(outside);
        assertThat(retention().run(TimeBudget.unlimited()).removed().values()).as("a second run").containsOnly(0L);
    }

    // ---- invitations ----

    private static long invitation(String email, String status, Instant expiresAt, Instant redeemedAt, Instant revokedAt) {
        long lead = Rows.number("INSERT INTO leads (email, first_name) VALUES (?, 'Ada') RETURNING id", email);
        long queue = Rows.number("INSERT INTO signup_queue (lead_id, source_type, first_name, status, decided_by, decided_at)"
                + " VALUES (?, 'easyappointments', 'Ada', ?, 'user-root', ?) RETURNING id", lead,
                status.equals("redeemed") ? "accepted" : "approved", Timestamp.from(expiresAt.minus(Duration.ofDays(7))));
        return Rows.number("INSERT INTO invitations (queue_id, token_hash, status, expires_at, created_by, created_at,"
                        + " redeemed_at, revoked_at) VALUES (?, sha256(convert_to(?, 'UTF8')), ?, ?, 'user-root', ?, ?, ?) RETURNING id",
                queue, email, status, Timestamp.from(expiresAt), Timestamp.from(expiresAt.minus(Duration.ofDays(7))),
                redeemedAt == null ? null : Timestamp.from(redeemedAt), revokedAt == null ? null : Timestamp.from(revokedAt));
    }

    @Test
    void invitationsGoThirtyDaysAfterTheyEndedAndTheirQueueEntriesStay() {
        Instant out = INVITATIONS_BEFORE.minus(JUST);
        Instant in = INVITATIONS_BEFORE.plus(JUST);
        Instant later = NOW.plus(Duration.ofDays(3));
        long expiredOut = invitation("expired-out@example.com", "pending", out, null, null);
        long expiredIn = invitation("expired-in@example.com", "pending", in, null, null);
        long live = invitation("live@example.com", "pending", later, null, null);
        // Redeemed, revoked and replaced invitations end when that happened, however far their expiry was.
        long redeemedOut = invitation("redeemed-out@example.com", "redeemed", later, out, null);
        long redeemedIn = invitation("redeemed-in@example.com", "redeemed", later, in, null);
        long revokedOut = invitation("revoked-out@example.com", "revoked", later, null, out);
        long replacedIn = invitation("replaced-in@example.com", "replaced", later, null, in);
        // The person invited converts: the conversion points back at the invitation, and outlives it.
        lambda.harness().context().getBean(Conversions.class).convert(lambda.harness().context().getBean(JsonBodies.class)
                .object(JsonBodies.utf8("{\"email\":\"redeemed-out@example.com\",\"platform_user_id\":\"user-1\","
                        + "\"converted_at\":\"" + out.plus(Duration.ofHours(1)) + "\"}"), Conversions.MAX_BODY_BYTES));
        assertThat(Rows.number("SELECT count(*) FROM invitations WHERE conversion_id IS NOT NULL AND id = ?", redeemedOut))
                .isEqualTo(1);
        Map<String, List<List<Object>>> funnel = funnel();

        DataRetention.Run run = retention().run(TimeBudget.unlimited());

        assertThat(run.removed()).containsEntry("invitations", 3L);
        assertThat(ids("invitations")).containsExactlyInAnyOrder(expiredIn, live, redeemedIn, replacedIn)
                .doesNotContain(expiredOut, redeemedOut, revokedOut);
        assertThat(Rows.count("signup_queue")).as("the queue keeps every entry and its outcome").isEqualTo(7);
        assertThat(Rows.number("SELECT count(*) FROM signup_queue WHERE status = 'accepted'")).isEqualTo(2);
        assertThat(funnel()).as("leads, the conversion and the analytics rows").isEqualTo(funnel);
        assertThat(Rows.count("funnel_conversions")).isEqualTo(1);
        assertThat(retention().run(TimeBudget.unlimited()).removed().values()).as("a second run").containsOnly(0L);
    }

    // ---- usage records ----

    private static void ingest(ObjectNode... records) {
        UsageIngest.Outcome outcome = usageIngest(records);
        assertThat(outcome.errors()).as(outcome.toString()).isZero();
    }

    private static UsageIngest.Outcome usageIngest(ObjectNode... records) {
        return lambda.harness().context().getBean(UsageIngest.class)
                .record(lambda.harness().context().getBean(JsonBodies.class)
                        .exactObject(JsonBodies.utf8(batch(List.of(records))), UsageIngest.MAX_BODY_BYTES));
    }

    private static UsageRollups rollups() {
        return lambda.harness().context().getBean(UsageRollups.class);
    }

    /** Every rollup the daily and monthly views read, row by row. */
    private static Map<String, List<List<Object>>> usageRollups() {
        Map<String, List<List<Object>>> tables = new LinkedHashMap<>();
        tables.put("admin_usage_reports", rows("SELECT grain, period_start, tenant_id, user_id, provider, model, record_count,"
                + " input_tokens, output_tokens, cost_usd, error_count FROM admin_usage_reports ORDER BY 1, 2, 3, 4"));
        tables.put("usage_user_totals", rows("SELECT * FROM usage_user_totals ORDER BY 1, 2, 3, 4"));
        tables.put("usage_tenant_totals", rows("SELECT * FROM usage_tenant_totals ORDER BY 1, 2, 3"));
        tables.put("tenant_health_metrics", rows("SELECT tenant_id, day, active_users, record_count, llm_tokens, cost_usd,"
                + " error_count, tokens_growth_pct, cost_growth_pct FROM tenant_health_metrics ORDER BY 1, 2"));
        return tables;
    }

    @Test
    void rawUsageRecordsOfDaysPastThirteenMonthsGoOnceRolledUpAndTheRollupsNeverChange() {
        ingest(record("outside", "2025-05-14T23:59:59.999999Z", TENANT, uuid(2, 1), "0.100001", 10),
                record("early", "2025-05-01T08:00:00Z", TENANT, null, "1.000000", 100),
                record("inside", "2025-05-15T00:00:00Z", TENANT, uuid(2, 1), "0.200002", 20),
                record("recent", "2026-06-14T10:00:00Z", TENANT, uuid(2, 1), "0.300003", 30));
        rollups().rollDirtyDays();
        Map<String, List<List<Object>>> rolled = usageRollups();
        assertThat(rolled.get("admin_usage_reports")).isNotEmpty();

        DataRetention.Run run = retention().run(TimeBudget.unlimited());

        assertThat(run.removed()).containsEntry("usage_records", 2L);
        assertThat(strings("SELECT idempotency_key FROM usage_metrics")).containsExactlyInAnyOrder("inside", "recent");
        assertThat(usageRollups()).isEqualTo(rolled);
        assertThat(retention().run(TimeBudget.unlimited()).removed().values()).as("a second run").containsOnly(0L);

        // Recomputing the past on demand leaves the days whose records are gone as they were rolled up.
        UsageRollups.Run again = rollups().roll(new UsageRange(LocalDate.parse("2025-05-01"), LocalDate.parse("2025-05-31")));
        assertThat(again.days()).first().isEqualTo(LocalDate.parse("2025-05-15"));
        assertThat(again.differences()).isEmpty();
        assertThat(usageRollups()).isEqualTo(rolled);

        // A record reported late for such a day is refused; the first kept day is still open.
        UsageIngest.Outcome late = usageIngest(record("late", "2025-05-14T12:00:00Z", TENANT, uuid(2, 1), "5.000000", 500),
                record("kept-day", "2025-05-15T12:00:00Z", TENANT, uuid(2, 1), "0.000001", 1));
        assertThat(late.errors()).isEqualTo(1);
        assertThat(late.results().get(0).field()).isEqualTo("occurred_at");
        assertThat(late.results().get(1).status()).isEqualTo("created");
        rollups().rollDirtyDays();
        assertThat(strings("SELECT idempotency_key FROM usage_metrics")).containsExactlyInAnyOrder("inside", "recent", "kept-day");
        assertThat(Rows.number("SELECT record_count FROM admin_usage_reports WHERE grain = 'day' AND period_start = '2025-05-15'"))
                .isEqualTo(2);
    }

    @Test
    void aRecordThatRacedTheRetentionDoesNotReachTheRollupAndTheNextRunRemovesIt() {
        ingest(record("outside", "2025-05-14T23:59:59.999999Z", TENANT, uuid(2, 1), "0.100001", 10));
        rollups().rollDirtyDays();
        retention().run(TimeBudget.unlimited());
        Map<String, List<List<Object>>> rolled = usageRollups();
        assertThat(rolled.get("admin_usage_reports")).isNotEmpty();

        // An ingest that read no horizon before the run moved it wrote its record and its day's mark.
        TestDatabase.get().execute("INSERT INTO usage_metrics (idempotency_key, occurred_at, tenant_id, provider, model,"
                + " input_tokens, cost_usd) VALUES ('raced', '2025-05-14T12:00:00Z', '" + TENANT + "', 'openai', 'gpt-4o', 500, 5)");
        TestDatabase.get().execute("INSERT INTO usage_dirty_days (day) VALUES ('2025-05-14')");
        assertThat(rollups().rollDirtyDays().days()).isEmpty();
        assertThat(usageRollups()).isEqualTo(rolled);
        assertThat(Rows.count("usage_dirty_days")).isZero();

        assertThat(retention().run(TimeBudget.unlimited()).removed()).containsEntry("usage_records", 1L);
        assertThat(Rows.count("usage_metrics")).isZero();
        assertThat(usageRollups()).isEqualTo(rolled);
    }

    @Test
    void aDayNotYetRolledUpKeepsItsRecordsAndEveryLaterDaysUntilTheRollupCoversIt() {
        ingest(record("rolled", "2025-05-01T08:00:00Z", TENANT, null, "1.000000", 100));
        rollups().rollDirtyDays();
        ingest(record("not-rolled", "2025-05-10T08:00:00Z", TENANT, null, "2.000000", 200),
                record("after-it", "2025-05-12T08:00:00Z", TENANT, null, "3.000000", 300));

        assertThat(retention().run(TimeBudget.unlimited()).removed()).containsEntry("usage_records", 1L);
        assertThat(strings("SELECT idempotency_key FROM usage_metrics")).containsExactlyInAnyOrder("not-rolled", "after-it");

        rollups().rollDirtyDays();
        Map<String, List<List<Object>>> rolled = usageRollups();
        assertThat(retention().run(TimeBudget.unlimited()).removed()).containsEntry("usage_records", 2L);
        assertThat(Rows.count("usage_metrics")).isZero();
        assertThat(usageRollups()).isEqualTo(rolled);
        assertThat(Rows.number("SELECT sum(cost_micros) FROM usage_tenant_totals WHERE grain = 'month'")).isEqualTo(6_000_000);
    }

    // ---- the run itself ----

    @Test
    void theDailyScheduleRunsItInBatchesAndAStopAtTheBudgetIsFinishedByTheNextRun() throws Exception {
        for (int i = 0; i < 5; i++) {
            delivery("old-" + i, DELIVERIES_BEFORE.minus(Duration.ofDays(i + 1)), "processed");
        }
        delivery("kept", NOW, "processed");
        DataRetention inBatchesOfTwo = new DataRetention(lambda.harness().context().getBean(Database.class), TestClock.INSTANCE,
                List.copyOf(lambda.harness().context().getBeansOfType(Expiring.class)), 2);

        DataRetention.Run stopped = inBatchesOfTwo.run(new TimeBudget(NOW.plusSeconds(5)));
        assertThat(stopped.complete()).as("no batch fits 5 seconds").isFalse();
        assertThat(Rows.count("webhook_deliveries")).isEqualTo(6);

        DataRetention.Run run = inBatchesOfTwo.run(new TimeBudget(NOW.plus(Duration.ofMinutes(4))));
        assertThat(run.complete()).isTrue();
        assertThat(run.removed()).containsEntry("webhook_deliveries", 5L);
        assertThat(deliveryKeys()).containsExactly("kept");

        // The schedule rule's event, through the function's handler, as EventBridge delivers it.
        delivery("old-again", DELIVERIES_BEFORE.minus(JUST), "ignored");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(LambdaHarness.eventsDir().resolve("eventbridge/scheduled-event.json"))) {
            new LambdaHandler(lambda.harness().context()).handleRequest(in, out, null);
        }
        assertThat(out.toString()).contains("Scheduled Event");
        assertThat(deliveryKeys()).containsExactly("kept");
    }

    // ---- helpers ----

    private static void event(String externalId, String occurredAt) {
        String body = "{\"source_type\":\"zoom\",\"event_type\":\"event_registered\",\"email\":\"ada@example.com\","
                + "\"occurred_at\":\"" + occurredAt + "\",\"external_id\":\"" + externalId + "\",\"utm_source\":\"linkedin\"}";
        lambda.harness().context().getBean(FunnelIngest.class).record(lambda.harness().context().getBean(JsonBodies.class)
                .exactObject(JsonBodies.utf8(body), FunnelIngest.MAX_EVENT_BODY_BYTES));
    }

    /** What the funnel's answers are made of. */
    private static Map<String, List<List<Object>>> funnel() {
        Map<String, List<List<Object>>> tables = new LinkedHashMap<>();
        for (String table : List.of("leads", "funnel_events", "funnel_conversions", "analytics_leads",
                "analytics_cohort_counts", "analytics_cohort_deltas", "analytics_conversion_counts",
                "analytics_window_counts")) {
            tables.put(table, rows("SELECT * FROM " + table + " ORDER BY 1"));
        }
        return tables;
    }

    private static Set<Long> ids(String table) {
        Set<Long> ids = new TreeSet<>();
        strings("SELECT id::text FROM " + table).forEach(id -> ids.add(Long.parseLong(id)));
        return ids;
    }

    private static Set<String> strings(String sql) {
        Set<String> values = new TreeSet<>();
        rows(sql).forEach(row -> values.add(String.valueOf(row.get(0))));
        return values;
    }

    private static List<List<Object>> rows(String sql) {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement(sql);
             ResultSet rs = select.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    row.add(value == null ? null : value.toString());
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
