package com.engarde.signupsync.functions.adminplatformbrands;

import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.platform.UsageIngest;
import com.engarde.signupsync.platform.UsageRange;
import com.engarde.signupsync.platform.UsageRollups;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Race;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.testing.UsageRecords.PLATFORM_TENANT;
import static com.engarde.signupsync.testing.UsageRecords.batch;
import static com.engarde.signupsync.testing.UsageRecords.record;
import static com.engarde.signupsync.testing.UsageRecords.uuid;
import static org.assertj.core.api.Assertions.assertThat;

/** En Garde's brands: the list with usage, creation (audited, 409 on a taken name), usage over time. */
class PlatformBrandsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(AdminRequests.properties());

    private static final String STUDIO = uuid(3, 1);
    private static final String CUSTOMER_BRAND = uuid(3, 2);

    @BeforeEach
    void now() {
        TestClock.INSTANCE.set(NOW);
    }

    private static Response call(String method, String path, String body, Map<String, String> params, String token) {
        return lambda.handle(AdminRequests.request(method, path, body, params, token));
    }

    private static Response admin(String method, String path, String body, Map<String, String> params) {
        return call(method, path, body, params, AdminJwts.superuser(TestClock.INSTANCE.instant()));
    }

    private static void usage() {
        UsageIngest.Outcome outcome = lambda.harness().context().getBean(UsageIngest.class).record(
                lambda.harness().context().getBean(JsonBodies.class).exactObject(JsonBodies.utf8(batch(List.of(
                record("s1", "2026-05-30T10:00:00Z", PLATFORM_TENANT, uuid(2, 1), "1.250000", 100)
                        .put("brand_id", STUDIO).put("brand_name", "En Garde Studio").put("bigquery_storage_gb", "3"),
                record("s2", "2026-05-31T23:59:59Z", PLATFORM_TENANT, uuid(2, 1), "0.750001", 50)
                        .put("brand_id", STUDIO).put("model", "gpt-4o-mini").put("bigquery_storage_gb", "4"),
                record("s3", "2026-06-01T11:00:00Z", PLATFORM_TENANT, uuid(2, 2), "0.000001", 1).put("brand_id", STUDIO),
                record("c1", "2026-05-30T10:00:00Z", uuid(1, 9), uuid(2, 9), "9.00", 900)
                        .put("brand_id", CUSTOMER_BRAND).put("brand_name", "Customer brand")))), UsageIngest.MAX_BODY_BYTES));
        assertThat(outcome.errors()).isZero();
        UsageRollups.Run run = lambda.harness().context().getBean(UsageRollups.class)
                .roll(new UsageRange(LocalDate.parse("2026-05-01"), LocalDate.parse("2026-06-30")));
        assertThat(run.differences()).isEmpty();
    }

    @Test
    void theListHoldsEnGardesBrandsOnlyWithTheirUsage() {
        usage();
        admin("POST", "/api/admin/platform/brands", "{\"brand_name\":\"Another\",\"is_demo\":true}", Map.of());

        JsonNode all = admin("GET", "/api/admin/platform/brands", null, Map.of()).json();
        JsonNode may = admin("GET", "/api/admin/platform/brands", null, Map.of("date_from", "2026-05-31", "date_to", "2026-05-31")).json();

        assertThat(all.path("total_count").asInt()).isEqualTo(2);
        assertThat(all.path("brands").findValuesAsText("brand_name")).containsExactly("Another", "En Garde Studio");
        JsonNode studio = all.path("brands").get(1);
        assertThat(studio.path("id").asText()).isEqualTo(STUDIO);
        assertThat(studio.path("total_cost_usd").decimalValue()).isEqualByComparingTo("2.000002");
        assertThat(studio.path("total_llm_tokens").asLong()).isEqualTo(151);
        assertThat(studio.path("total_bigquery_storage_gb").decimalValue()).as("the latest level").isEqualByComparingTo("4");
        assertThat(studio.path("is_demo").asBoolean()).isFalse();
        assertThat(all.path("brands").get(0).path("is_demo").asBoolean()).isTrue();
        assertThat(may.path("brands").get(1).path("total_cost_usd").decimalValue()).isEqualByComparingTo("0.750001");
    }

    @Test
    void creatingABrandIsAuditedAndATakenNameIsA409() {
        Response created = admin("POST", "/api/admin/platform/brands",
                "{\"brand_name\":\"Studio\",\"purpose\":\"Demos for sales\",\"is_template\":true}", Map.of());
        Response taken = admin("POST", "/api/admin/platform/brands", "{\"brand_name\":\"  sTUDIO \"}", Map.of());

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("is_template").asBoolean()).isTrue();
        assertThat(created.json().path("purpose").asText()).isEqualTo("Demos for sales");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("field").asText()).isEqualTo("brand_name");
        assertThat(Rows.count("platform_brands")).isEqualTo(1);
        assertThat(Rows.count("platform_admin_actions")).as("one audit row for one write; none for the refused one").isEqualTo(1);
        assertThat(Rows.row("SELECT action, target_type, target_id, actor_subject FROM platform_admin_actions"))
                .containsEntry("action", "brand.create").containsEntry("target_type", "platform_brand")
                .containsEntry("target_id", created.json().path("id").asText()).containsEntry("actor_subject", "user-root");
    }

    @Test
    void twoRacingCreatesOfOneNameMakeOneBrandAndOneAuditRow() throws Exception {
        List<Response> answers = Race.run(2, i -> () -> admin("POST", "/api/admin/platform/brands",
                "{\"brand_name\":\"Race " + (i == 0 ? "brand" : "BRAND") + "\"}", Map.of()));

        assertThat(answers).extracting(Response::status).containsExactlyInAnyOrder(201, 409);
        assertThat(Rows.count("platform_brands")).isEqualTo(1);
        assertThat(Rows.count("platform_admin_actions")).isEqualTo(1);
    }

    @Test
    void badBrandsAre400sNamingTheFieldAndWriteNothing() {
        Map<String, String> bad = Map.of(
                "{}", "brand_name",
                "{\"brand_name\":\"   \"}", "brand_name",
                "{\"brand_name\":\"" + "x".repeat(201) + "\"}", "brand_name",
                "{\"brand_name\":\"ok\",\"is_demo\":\"yes\"}", "is_demo",
                "{\"brand_name\":\"ok\",\"is_template\":1}", "is_template",
                "{\"brand_name\":\"ok\",\"purpose\":42}", "purpose");
        for (var entry : bad.entrySet()) {
            Response r = admin("POST", "/api/admin/platform/brands", entry.getKey(), Map.of());
            assertThat(r.status()).as(entry.getKey()).isEqualTo(400);
            assertThat(r.json().path("field").asText()).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        assertThat(admin("POST", "/api/admin/platform/brands", "{nope", Map.of()).status()).isEqualTo(400);
        assertThat(admin("GET", "/api/admin/platform/brands", null, Map.of("date_from", "May")).json().path("field").asText())
                .isEqualTo("date_from");
        assertThat(Rows.count("platform_brands")).isZero();
        assertThat(Rows.count("platform_admin_actions")).isZero();
    }

    @Test
    void aBrandsUsageOverTimeWithItsModels() {
        usage();

        JsonNode daily = admin("GET", "/api/admin/platform/brands/" + STUDIO + "/usage", null,
                Map.of("view_mode", "daily", "date_from", "2026-05-01", "date_to", "2026-06-30")).json();
        JsonNode monthly = admin("GET", "/api/admin/platform/brands/" + STUDIO + "/usage", null,
                Map.of("view_mode", "monthly", "date_from", "2026-05-01", "date_to", "2026-06-30")).json();
        JsonNode realtime = admin("GET", "/api/admin/platform/brands/" + STUDIO + "/usage", null,
                Map.of("view_mode", "realtime")).json();

        assertThat(daily.path("periods").findValuesAsText("period")).containsExactly("2026-05-30", "2026-05-31", "2026-06-01");
        assertThat(daily.path("total_cost_usd").decimalValue()).isEqualByComparingTo("2.000002");
        assertThat(daily.path("periods").get(1).path("models").findValuesAsText("model")).containsExactly("gpt-4o-mini");
        assertThat(monthly.path("periods").findValuesAsText("period")).containsExactly("2026-05-01", "2026-06-01");
        assertThat(monthly.path("periods").get(0).path("cost_usd").decimalValue()).isEqualByComparingTo("2.000001");
        assertThat(monthly.path("periods").get(0).path("bigquery_storage_gb").decimalValue()).isEqualByComparingTo("4");
        assertThat(realtime.path("periods").findValuesAsText("period")).containsExactly("2026-05-31T23:00:00Z", "2026-06-01T11:00:00Z");
        assertThat(realtime.path("total_cost_usd").decimalValue()).isEqualByComparingTo("0.750002");
    }

    @Test
    void anUnknownBrandIsA404AndABadIdA400() {
        Response unknown = admin("GET", "/api/admin/platform/brands/" + uuid(9, 9) + "/usage", null, Map.of());
        Response bad = admin("GET", "/api/admin/platform/brands/not-a-uuid/usage", null, Map.of());
        Response badMode = admin("GET", "/api/admin/platform/brands/" + uuid(9, 9) + "/usage", null, Map.of("view_mode", "weekly"));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("field").asText()).isEqualTo("brand_id");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("brand_id");
        assertThat(badMode.json().path("field").asText()).isEqualTo("view_mode");
    }

    @Test
    void everyRouteIs401WithoutAnAdminTokenAnd403ForANonAdmin() {
        String[][] routes = {{"GET", "/api/admin/platform/brands", null},
                {"POST", "/api/admin/platform/brands", "{\"brand_name\":\"Nope\"}"},
                {"GET", "/api/admin/platform/brands/" + STUDIO + "/usage", null}};
        for (String[] route : routes) {
            String what = route[0] + " " + route[1];
            assertThat(call(route[0], route[1], route[2], Map.of(), null).status()).as(what).isEqualTo(401);
            assertThat(call(route[0], route[1], route[2], Map.of(), LambdaHarness.TOKEN).status()).as(what).isEqualTo(401);
            assertThat(call(route[0], route[1], route[2], Map.of(), AdminJwts.user("someone", "someone@example.com", NOW))
                    .status()).as(what).isEqualTo(403);
        }
        assertThat(routes.length).isEqualTo(3);
        assertThat(Rows.count("platform_brands")).isZero();
        assertThat(Rows.count("platform_admin_actions")).isZero();
    }
}
