package com.engarde.signupsync.functions.usagerollup;

import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.bus.LambdaHandler;
import com.engarde.signupsync.platform.UsageIngest;
import com.engarde.signupsync.platform.UsageRange;
import com.engarde.signupsync.platform.UsageRollups;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.testing.UsageRecords.batch;
import static com.engarde.signupsync.testing.UsageRecords.record;
import static com.engarde.signupsync.testing.UsageRecords.uuid;
import static org.assertj.core.api.Assertions.assertThat;

/** Rollups by UTC day and month: idempotent, complete, late records included by the next run. */
class UsageRollupTest {

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(withAdmin());

    private static Map<String, Object> withAdmin() {
        Map<String, Object> properties = new java.util.HashMap<>(AdminJwts.PROPERTIES);
        properties.put("engarde.database.pool-size", 4);
        return properties;
    }

    private static LambdaHarness.Response rollupRoute(String body, String token) {
        var request = LambdaHarness.request("POST", "/api/admin/platform/usage/rollups", body);
        if (token == null) {
            request.getHeaders().remove("Authorization");
        } else {
            request.getHeaders().put("Authorization", "Bearer " + token);
        }
        return lambda.handle(request);
    }

    private static final String TENANT = uuid(1, 1);
    private static final String OTHER = uuid(1, 2);
    private static final UsageRange MARCH_APRIL = new UsageRange(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-04-30"));

    private static void ingest(List<ObjectNode> records) {
        UsageIngest.Outcome outcome = lambda.harness().context().getBean(UsageIngest.class)
                .record(lambda.harness().context().getBean(JsonBodies.class)
                        .exactObject(JsonBodies.utf8(batch(records)), UsageIngest.MAX_BODY_BYTES));
        assertThat(outcome.errors()).as(outcome.toString()).isZero();
    }

    private static UsageRollups rollups() {
        return lambda.harness().context().getBean(UsageRollups.class);
    }

    /** Records on both sides of a UTC midnight that is also a month end. */
    private static void aroundTheMonthEnd() {
        ingest(List.of(
                record("a", "2026-03-31T23:59:59.999999Z", TENANT, uuid(2, 1), "0.100001", 10),
                record("b", "2026-04-01T00:00:00Z", TENANT, uuid(2, 1), "0.200002", 20),
                // 2026-04-01T01:30+02:00 is 2026-03-31T23:30Z: March, whatever the sender's zone.
                record("c", "2026-04-01T01:30:00+02:00", OTHER, null, "0.300003", 30),
                record("d", "2026-04-01T12:00:00Z", OTHER, uuid(2, 2), "0.000001", 1)
                        .put("bigquery_storage_gb", "5.5")));
    }

    @Test
    void daysAndMonthsAreUtcAndEqualTheRawRecordsToTheCent() {
        aroundTheMonthEnd();

        UsageRollups.Run run = rollups().rollDirtyDays();

        assertThat(run.days()).containsExactly(LocalDate.parse("2026-03-31"), LocalDate.parse("2026-04-01"));
        assertThat(run.differences()).isEmpty();
        assertThat(Rows.row("SELECT sum(cost_usd) AS c FROM admin_usage_reports WHERE grain = 'month' AND period_start = '2026-03-01'"))
                .containsEntry("c", new BigDecimal("0.400004"));
        assertThat(Rows.row("SELECT sum(cost_usd) AS c FROM admin_usage_reports WHERE grain = 'day' AND period_start = '2026-04-01'"))
                .containsEntry("c", new BigDecimal("0.200003"));
        assertThat(Rows.row("SELECT bigquery_storage_gb AS s FROM admin_usage_reports WHERE grain = 'month' AND period_start = '2026-04-01'"
                + " AND bigquery_storage_gb IS NOT NULL")).containsEntry("s", new BigDecimal("5.500000"));
        assertThat(rollups().check(MARCH_APRIL)).isEmpty();
    }

    @Test
    void reRunningADayReplacesItExactly() {
        aroundTheMonthEnd();
        rollups().roll(MARCH_APRIL);
        List<Map<String, Object>> before = reports();

        UsageRollups.Run again = rollups().roll(MARCH_APRIL);

        assertThat(again.days()).hasSize(61);
        assertThat(again.differences()).isEmpty();
        assertThat(reports()).isEqualTo(before);
        assertThat(Rows.count("admin_usage_reports")).isEqualTo(4 + 4);
    }

    @Test
    void aLateRecordForAnEarlierDayIsPickedUpByTheNextRun() {
        aroundTheMonthEnd();
        rollups().rollDirtyDays();
        assertThat(rollups().rollDirtyDays().days()).as("nothing new, nothing to do").isEmpty();

        ingest(List.of(record("late", "2026-03-02T08:00:00Z", TENANT, uuid(2, 1), "1.000000", 100),
                record("a", "2026-03-31T23:59:59.999999Z", TENANT, uuid(2, 1), "50.00", 10)));
        assertThat(rollups().check(MARCH_APRIL)).as("the check sees the late record before the run").isNotEmpty();

        UsageRollups.Run run = rollups().rollDirtyDays();

        assertThat(run.days()).containsExactly(LocalDate.parse("2026-03-02"));
        assertThat(rollups().check(MARCH_APRIL)).isEmpty();
        assertThat(Rows.row("SELECT sum(cost_usd) AS c FROM admin_usage_reports WHERE grain = 'month' AND period_start = '2026-03-01'"))
                .containsEntry("c", new BigDecimal("1.400004"));
    }

    @Test
    void theViewTotalsFollowALateRecordAndTheCheckFindsOneThatDiffers() {
        aroundTheMonthEnd();
        rollups().rollDirtyDays();
        ingest(List.of(record("late", "2026-03-02T08:00:00Z", TENANT, uuid(2, 1), "1.000000", 100)));
        rollups().rollDirtyDays();
        assertThat(Rows.number("SELECT sum(cost_micros) FROM usage_user_totals WHERE grain = 'month'"
                + " AND period_start = '2026-03-01' AND tenant_id = '" + TENANT + "'")).isEqualTo(1_100_001);
        assertThat(Rows.number("SELECT sum(cost_micros) FROM usage_tenant_totals WHERE grain = 'day'"
                + " AND period_start = '2026-03-02'")).isEqualTo(1_000_000);
        assertThat(rollups().check(MARCH_APRIL)).isEmpty();

        TestDatabase.get().execute("UPDATE usage_user_totals SET cost_micros = cost_micros + 1 WHERE grain = 'day'"
                + " AND period_start = '2026-03-02'");
        TestDatabase.get().execute("UPDATE usage_tenant_totals SET tokens = tokens + 1 WHERE grain = 'month'"
                + " AND period_start = '2026-04-01' AND tenant_id = '" + OTHER + "'");

        assertThat(rollups().check(MARCH_APRIL)).extracting(UsageRollups.Difference::provider)
                .containsExactlyInAnyOrder("*users", "*tenants");
        rollups().roll(MARCH_APRIL);
        assertThat(rollups().check(MARCH_APRIL)).as("a run replaces the totals it recomputes").isEmpty();
    }

    @Test
    void healthPerTenantPerDayWithGrowthAgainstThePrevious7Days() {
        for (int day = 1; day <= 7; day++) {
            ingest(List.of(record("h" + day, "2026-05-0" + day + "T10:00:00Z", TENANT, uuid(2, 1), "1.00", 100)));
        }
        ingest(List.of(record("h8a", "2026-05-08T10:00:00Z", TENANT, uuid(2, 1), "1.50", 150),
                record("h8b", "2026-05-08T11:00:00Z", TENANT, uuid(2, 2), "1.50", 150).put("error_count", 2)));

        rollups().rollDirtyDays();

        assertThat(Rows.row("SELECT active_users, llm_tokens, cost_usd, error_count, tokens_growth_pct, cost_growth_pct"
                + " FROM tenant_health_metrics WHERE tenant_id = ?::uuid AND day = '2026-05-08'", TENANT))
                .containsEntry("active_users", 2).containsEntry("llm_tokens", 300L)
                .containsEntry("cost_usd", new BigDecimal("3.000000")).containsEntry("error_count", 2L)
                .containsEntry("tokens_growth_pct", new BigDecimal("200.00"))
                .containsEntry("cost_growth_pct", new BigDecimal("200.00"));
        assertThat(Rows.row("SELECT tokens_growth_pct FROM tenant_health_metrics WHERE day = '2026-05-01'"))
                .containsEntry("tokens_growth_pct", null);
    }

    @Test
    void theDailyScheduleRollsTheDirtyDays() throws Exception {
        aroundTheMonthEnd();
        LambdaHandler handler = new LambdaHandler(lambda.harness().context());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(LambdaHarness.eventsDir().resolve("eventbridge/scheduled-event.json"))) {
            handler.handleRequest(in, out, null);
        }

        assertThat(out.toString()).contains("Scheduled Event");
        assertThat(Rows.count("usage_dirty_days")).isZero();
        assertThat(Rows.number("SELECT count(*) FROM admin_usage_reports WHERE grain = 'day'")).isEqualTo(4);
    }

    @Test
    void theOnDemandRouteRollsARangeAndLeavesOneAuditRow() {
        aroundTheMonthEnd();

        LambdaHarness.Response r = rollupRoute("{\"date_from\":\"2026-03-01\",\"date_to\":\"2026-04-30\"}",
                AdminJwts.superuser(Instant.now()));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("days").size()).isEqualTo(61);
        assertThat(r.json().path("differences").size()).isZero();
        assertThat(Rows.count("admin_usage_reports")).isEqualTo(8);
        assertThat(Rows.row("SELECT actor_email, action, target_type, target_id FROM platform_admin_actions"))
                .containsEntry("actor_email", "root@example.com").containsEntry("action", "usage.rollup")
                .containsEntry("target_type", "usage_rollup").containsEntry("target_id", "2026-03-01..2026-04-30");
        assertThat(Rows.count("platform_admin_actions")).isEqualTo(1);
    }

    @Test
    void aBadRangeIsA400NamingTheFieldAndWritesNothing() {
        Map<String, String> bad = Map.of(
                "{\"date_to\":\"2026-03-01\"}", "date_from",
                "{\"date_from\":\"2026-03-01\"}", "date_to",
                "{\"date_from\":\"2026-03-32\",\"date_to\":\"2026-04-01\"}", "date_from",
                "{\"date_from\":\"2026-04-02\",\"date_to\":\"2026-04-01\"}", "date_from",
                "{\"date_from\":\"2025-01-01\",\"date_to\":\"2026-04-01\"}", "date_to");
        for (var entry : bad.entrySet()) {
            LambdaHarness.Response r = rollupRoute(entry.getKey(), AdminJwts.superuser(Instant.now()));
            assertThat(r.status()).as(entry.getKey()).isEqualTo(400);
            assertThat(r.json().path("field").asText()).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        assertThat(Rows.count("platform_admin_actions")).isZero();
        assertThat(Rows.count("admin_usage_reports")).isZero();
    }

    @Test
    void aRollupNeverFailsOnTheExtremesTheApiAcceptsNorStallsOtherTenants() {
        for (int day = 1; day <= 7; day++) {
            ingest(List.of(record("one" + day, "2026-05-0" + day + "T10:00:00Z", TENANT, uuid(2, 1), "0.000001", 1),
                    record("other" + day, "2026-05-0" + day + "T10:00:00Z", OTHER, null, "1.00", 100)));
        }
        // From 1 token a day to a thousand records at every per-record maximum.
        List<ObjectNode> extreme = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            extreme.add(record("max" + i, "2026-05-08T10:00:00Z", TENANT, uuid(2, 1), "1000000", 1_000_000_000_000L)
                    .put("output_tokens", 1_000_000_000_000L).put("bigquery_storage_gb", "99999999999999.999999")
                    .put("error_count", Integer.MAX_VALUE));
        }
        ingest(extreme);
        ingest(List.of(record("other8", "2026-05-08T10:00:00Z", OTHER, null, "2.00", 200)));

        UsageRollups.Run run = rollups().rollDirtyDays();

        assertThat(run.differences()).isEmpty();
        assertThat(Rows.row("SELECT llm_tokens, cost_usd, tokens_growth_pct, cost_growth_pct FROM tenant_health_metrics"
                + " WHERE tenant_id = ?::uuid AND day = '2026-05-08'", TENANT))
                .containsEntry("llm_tokens", 2_000_000_000_000_000L)
                .containsEntry("cost_usd", new BigDecimal("1000000000.000000"))
                .containsEntry("tokens_growth_pct", new BigDecimal("199999999999999900.00"))
                .containsEntry("cost_growth_pct", new BigDecimal("99999999999999900.00"));
        assertThat(Rows.row("SELECT tokens_growth_pct FROM tenant_health_metrics WHERE tenant_id = ?::uuid"
                + " AND day = '2026-05-08'", OTHER)).containsEntry("tokens_growth_pct", new BigDecimal("100.00"));
        UsageIngest.Outcome over = lambda.harness().context().getBean(UsageIngest.class).record(
                lambda.harness().context().getBean(JsonBodies.class).exactObject(JsonBodies.utf8(batch(List.of(
                record("over", "2026-05-08T10:00:00Z", TENANT, null, "1000000.000001", 1)))), UsageIngest.MAX_BODY_BYTES));
        assertThat(over.results().get(0).field()).as("a cost above the per-record maximum").isEqualTo("cost_usd");
    }

    @Test
    void aRangeOutsideTheSupportedDaysIsRefusedInWordsAndItsEdgesRollUp() {
        Map<String, String> bad = Map.of(
                "{\"date_from\":\"0000-01-01\",\"date_to\":\"0000-01-01\"}", "date_from",
                "{\"date_from\":\"1999-12-31\",\"date_to\":\"2000-01-01\"}", "date_from",
                "{\"date_from\":\"9999-12-31\",\"date_to\":\"9999-12-31\"}", "date_from",
                "{\"date_from\":\"9999-11-30\",\"date_to\":\"9999-12-01\"}", "date_to");
        for (var entry : bad.entrySet()) {
            LambdaHarness.Response r = rollupRoute(entry.getKey(), AdminJwts.superuser(Instant.now()));
            assertThat(r.status()).as(entry.getKey() + " " + r.body()).isEqualTo(400);
            assertThat(r.json().path("field").asText()).as(entry.getKey()).isEqualTo(entry.getValue());
            assertThat(r.json().path("message").asText()).as(entry.getKey())
                    .contains("2000-01-01").contains("9999-11-30").doesNotContain("SQLSTATE");
        }
        assertThat(Rows.count("platform_admin_actions")).isZero();
        for (String edge : List.of("2000-01-01", "9999-11-30")) {
            LambdaHarness.Response r = rollupRoute("{\"date_from\":\"" + edge + "\",\"date_to\":\"" + edge + "\"}",
                    AdminJwts.superuser(Instant.now()));
            assertThat(r.status()).as(edge + " " + r.body()).isEqualTo(200);
        }
    }

    @Test
    void theOnDemandRouteIs401WithoutAnAdminTokenAnd403ForANonAdmin() {
        aroundTheMonthEnd();
        String body = "{\"date_from\":\"2026-03-01\",\"date_to\":\"2026-03-31\"}";

        assertThat(rollupRoute(body, null).status()).isEqualTo(401);
        assertThat(rollupRoute(body, LambdaHarness.TOKEN).status()).as("the service token is not an admin token").isEqualTo(401);
        assertThat(rollupRoute(body, AdminJwts.user("someone", "someone@example.com", Instant.now())).status()).isEqualTo(403);
        assertThat(Rows.count("admin_usage_reports")).isZero();
        assertThat(Rows.count("platform_admin_actions")).isZero();
    }

    private static List<Map<String, Object>> reports() {
        TestDatabase.get();
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        long n = Rows.count("admin_usage_reports");
        for (long i = 0; i < n; i++) {
            Map<String, Object> row = Rows.row("SELECT grain, period_start, tenant_id, user_id, brand_id, provider, model,"
                    + " record_count, input_tokens, output_tokens, cost_usd, bigquery_storage_gb FROM admin_usage_reports"
                    + " ORDER BY grain, period_start, tenant_id, user_id NULLS FIRST, cost_usd OFFSET ?", i);
            rows.add(row);
        }
        return rows;
    }
}
