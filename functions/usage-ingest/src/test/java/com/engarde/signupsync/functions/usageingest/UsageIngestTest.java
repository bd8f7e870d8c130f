package com.engarde.signupsync.functions.usageingest;

import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Race;
import com.engarde.signupsync.testing.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.testing.UsageRecords.PLATFORM_TENANT;
import static com.engarde.signupsync.testing.UsageRecords.batch;
import static com.engarde.signupsync.testing.UsageRecords.record;
import static com.engarde.signupsync.testing.UsageRecords.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** POST /usage/metrics: records validated one by one, stored exactly, duplicates changing nothing. */
class UsageIngestTest {

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(Map.of("engarde.database.pool-size", 2));

    private static final String TENANT = uuid(1, 1);
    private static final String USER = uuid(2, 1);

    private static Response post(String body) {
        return lambda.post("/usage/metrics", body);
    }

    @Test
    void aBatchOfAThousandIsStoredToTheCentAndItsDaysMarkedDirty() {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(record("k" + i, "2026-03-31T23:59:59.999Z", TENANT, USER, "0.000001", 3)
                    .put("tenant_name", "Acme").put("plan_tier", "pro"));
        }
        records.get(999).put("occurred_at", "2026-04-01T00:00:00Z");

        Response r = post(batch(records));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("created").asInt()).isEqualTo(1000);
        assertThat(Rows.row("SELECT sum(cost_usd) AS s FROM usage_metrics").get("s")).isEqualTo(new BigDecimal("0.001000"));
        assertThat(Rows.number("SELECT count(DISTINCT day) FROM usage_dirty_days")).isEqualTo(2);
        assertThat(Rows.row("SELECT name, plan_tier FROM platform_tenants WHERE id = ?::uuid", TENANT))
                .containsEntry("name", "Acme").containsEntry("plan_tier", "pro");
    }

    @Test
    void aDuplicateIsAnsweredAsOneAndChangesNothingHoweverLate() {
        post(batch(List.of(record("same", "2026-01-01T10:00:00Z", TENANT, USER, "1.50", 10)
                .put("tenant_name", "First name").put("brand_id", uuid(3, 1)).put("brand_name", "Brand A"))));
        long dirtyBefore = Rows.count("usage_dirty_days");

        Response r = post(batch(List.of(
                record("same", "2026-06-01T10:00:00Z", TENANT, USER, "99.00", 999)
                        .put("tenant_name", "Changed").put("brand_id", uuid(3, 1)).put("brand_name", "Brand B"),
                record("new", "2026-01-02T10:00:00Z", TENANT, USER, "2.00", 5),
                record("new", "2026-01-02T10:00:00Z", TENANT, USER, "2.00", 5))));

        JsonNode results = r.json().path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("duplicate");
        assertThat(results.get(1).path("status").asText()).isEqualTo("created");
        assertThat(results.get(2).path("status").asText()).isEqualTo("duplicate");
        assertThat(Rows.row("SELECT cost_usd, input_tokens FROM usage_metrics WHERE idempotency_key = 'same'"))
                .containsEntry("cost_usd", new BigDecimal("1.500000")).containsEntry("input_tokens", 10L);
        assertThat(Rows.row("SELECT name FROM platform_tenants WHERE id = ?::uuid", TENANT)).containsEntry("name", "First name");
        assertThat(Rows.row("SELECT brand_name FROM platform_brands WHERE id = ?::uuid", uuid(3, 1)))
                .containsEntry("brand_name", "Brand A");
        assertThat(Rows.count("usage_dirty_days")).isEqualTo(dirtyBefore + 1);
    }

    @Test
    void laterRecordsRenameWhatTheyName() {
        post(batch(List.of(record("a", "2026-01-01T10:00:00Z", TENANT, USER, "1", 1)
                .put("tenant_name", "Old").put("brand_id", uuid(3, 1)).put("brand_name", "Old brand")
                .put("organization_id", uuid(4, 1)).put("organization_name", "Org"))));
        post(batch(List.of(record("b", "2026-01-01T11:00:00Z", TENANT, USER, "1", 1)
                .put("tenant_name", "New").put("brand_id", uuid(3, 1)).put("brand_name", "New brand"))));

        assertThat(Rows.row("SELECT t.name, o.name AS org FROM platform_tenants t JOIN platform_organizations o"
                + " ON o.id = t.organization_id WHERE t.id = ?::uuid", TENANT))
                .containsEntry("name", "New").containsEntry("org", "Org");
        assertThat(Rows.row("SELECT brand_name FROM platform_brands WHERE id = ?::uuid", uuid(3, 1)))
                .containsEntry("brand_name", "New brand");
    }

    @Test
    void recordsThatNameWhatIsStoredWriteNoNewVersionAndChangesAreStillWritten() {
        ObjectNode first = record("a", "2026-01-01T10:00:00Z", TENANT, USER, "1", 1).put("tenant_name", "Acme")
                .put("plan_tier", "pro").put("user_email", "ana@example.com")
                .put("organization_id", uuid(4, 1)).put("organization_name", "Org");
        post(batch(List.of(first)));
        // Each row's version: a new one is written by every update, none by a row left as it is.
        String rows = "SELECT (SELECT xmin::text FROM platform_tenants WHERE id = ?::uuid) AS tenant,"
                + " (SELECT xmin::text FROM platform_users WHERE id = ?::uuid) AS usr,"
                + " (SELECT xmin::text FROM platform_organizations WHERE id = ?::uuid) AS org";
        Map<String, Object> versions = Rows.row(rows, TENANT, USER, uuid(4, 1));

        // The same names again, and a record naming nothing (its user without an email): no row gets a new version.
        ObjectNode nameless = record("c", "2026-01-01T12:00:00Z", TENANT, USER, "1", 1);
        nameless.remove("user_email");
        post(batch(List.of(first.deepCopy().put("idempotency_key", "b"), nameless)));
        assertThat(Rows.count("usage_metrics")).isEqualTo(3);
        assertThat(Rows.row(rows, TENANT, USER, uuid(4, 1))).isEqualTo(versions);

        // What does change is still written.
        post(batch(List.of(record("d", "2026-01-01T13:00:00Z", TENANT, USER, "1", 1).put("plan_tier", "enterprise")
                .put("user_email", "ana@acme.example"))));
        assertThat(Rows.row("SELECT t.name, t.plan_tier, u.email FROM platform_tenants t, platform_users u"
                + " WHERE t.id = ?::uuid AND u.id = ?::uuid", TENANT, USER))
                .containsEntry("name", "Acme").containsEntry("plan_tier", "enterprise")
                .containsEntry("email", "ana@acme.example");
    }

    @Test
    void aNewBrandWithATakenNameKeepsItsIdAndItsRecord() {
        post(batch(List.of(
                record("a", "2026-01-01T10:00:00Z", TENANT, USER, "1", 1).put("brand_id", uuid(3, 1)).put("brand_name", "Shop"),
                record("b", "2026-01-01T10:00:00Z", TENANT, USER, "1", 1).put("brand_id", uuid(3, 2)).put("brand_name", "SHOP"))));

        assertThat(Rows.count("usage_metrics")).isEqualTo(2);
        assertThat(Rows.number("SELECT count(*) FROM platform_brands WHERE tenant_id = ?::uuid", TENANT)).isEqualTo(2);
    }

    @Test
    void eachBadFieldIsA400NamingItAndTheGoodRecordsAreStored() {
        Map<String, ObjectNode> bad = Map.of(
                "cost_usd", record("x1", "2026-01-01T00:00:00Z", TENANT, USER, "0.0000001", 1),
                "occurred_at", record("x2", "yesterday", TENANT, USER, "1", 1),
                "tenant_id", record("x3", "2026-01-01T00:00:00Z", "not-a-uuid", USER, "1", 1),
                "input_tokens", record("x4", "2026-01-01T00:00:00Z", TENANT, USER, "1", -1),
                "user_email", record("x5", "2026-01-01T00:00:00Z", TENANT, USER, "1", 1).put("user_email", "nope"),
                "idempotency_key", record("x6", "2026-01-01T00:00:00Z", TENANT, USER, "1", 1).put("idempotency_key", ""),
                "provider", record("x7", "2026-01-01T00:00:00Z", TENANT, USER, "1", 1).putNull("provider"),
                "plan_tier", record("x8", "2026-01-01T00:00:00Z", TENANT, USER, "1", 1).put("plan_tier", "Pro Plan!"),
                "bigquery_storage_gb", record("x9", "2026-01-01T00:00:00Z", TENANT, USER, "1", 1).put("bigquery_storage_gb", "-2"));
        List<ObjectNode> records = new ArrayList<>(bad.values());
        records.add(record("good", "2026-01-01T00:00:00Z", TENANT, USER, "1.25", 1));
        List<String> fields = new ArrayList<>(bad.keySet());

        Response r = post(batch(records));

        assertThat(r.status()).isEqualTo(200);
        JsonNode results = r.json().path("results");
        assertThat(results.size()).isEqualTo(10);
        for (int i = 0; i < fields.size(); i++) {
            assertThat(results.get(i).path("status").asText()).isEqualTo("error");
            assertThat(results.get(i).path("error").asText()).isEqualTo("invalid_request");
            assertThat(results.get(i).path("field").asText()).as(results.get(i).toString()).isEqualTo(fields.get(i));
        }
        assertThat(results.get(9).path("status").asText()).isEqualTo("created");
        assertThat(Rows.count("usage_metrics")).isEqualTo(1);
    }

    @Test
    void aCostSentAsAJsonNumberStaysExact() {
        String body = "{\"records\":[{\"idempotency_key\":\"n\",\"occurred_at\":\"2026-01-01T00:00:00Z\",\"tenant_id\":\""
                + TENANT + "\",\"provider\":\"anthropic\",\"model\":\"claude\",\"cost_usd\":0.123457,"
                + "\"bigquery_storage_gb\":12.000001}]}";

        assertThat(post(body).json().path("created").asInt()).isEqualTo(1);
        assertThat(Rows.row("SELECT cost_usd, bigquery_storage_gb FROM usage_metrics"))
                .containsEntry("cost_usd", new BigDecimal("0.123457"))
                .containsEntry("bigquery_storage_gb", new BigDecimal("12.000001"));
    }

    @Test
    void badBatchesAre400sNamingRecords() {
        List<ObjectNode> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(record("k" + i, "2026-01-01T00:00:00Z", TENANT, USER, "1", 1));
        }
        for (String body : new String[]{batch(tooMany), "{\"records\":[]}", "{\"records\":{}}", "{}", "[]", "{bad"}) {
            Response r = post(body);
            assertThat(r.status()).as(body.length() > 50 ? "1001 records" : body).isEqualTo(400);
            assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
        }
        assertThat(post(batch(tooMany)).json().path("field").asText()).isEqualTo("records");
        assertThat(Rows.count("usage_metrics")).isZero();
    }

    @Test
    void thePlatformTenantIsNeverRefusedAndKeepsItsPlan() {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(record("p" + i, "2026-01-01T00:00:00Z", PLATFORM_TENANT, USER, "999999.999999", 900_000_000_000L)
                    .put("plan_tier", "free").put("tenant_name", "Someone else"));
        }

        Response r = post(batch(records));

        assertThat(r.json().path("created").asInt()).isEqualTo(1000);
        assertThat(Rows.row("SELECT name, plan_tier, unlimited FROM platform_tenants WHERE id = ?::uuid", PLATFORM_TENANT))
                .containsEntry("name", "En Garde Admin").containsEntry("plan_tier", "platform").containsEntry("unlimited", true);
    }

    @Test
    void aRecordNamingAnotherTenantsBrandFailsAloneAndTheBrandStaysItsOwners() {
        String other = uuid(1, 2);
        post(batch(List.of(record("a1", "2026-01-01T10:00:00Z", TENANT, USER, "1", 1)
                .put("brand_id", uuid(3, 1)).put("brand_name", "Acme Shoes"))));

        Response r = post(batch(List.of(
                record("b1", "2026-01-01T11:00:00Z", other, uuid(2, 2), "7", 7)
                        .put("brand_id", uuid(3, 1)).put("brand_name", "Stolen"),
                record("b2", "2026-01-01T11:00:00Z", other, uuid(2, 2), "2", 2),
                // Within one batch, a new brand is the first naming tenant's.
                record("b3", "2026-01-01T11:00:00Z", other, uuid(2, 2), "3", 3).put("brand_id", uuid(3, 9)),
                record("a2", "2026-01-01T11:00:00Z", TENANT, USER, "4", 4).put("brand_id", uuid(3, 9)))));

        JsonNode results = r.json().path("results");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(results.get(0).path("status").asText()).as(results.toString()).isEqualTo("error");
        assertThat(results.get(0).path("field").asText()).isEqualTo("brand_id");
        assertThat(results.get(0).path("message").asText()).contains("another tenant");
        assertThat(results.get(1).path("status").asText()).isEqualTo("created");
        assertThat(results.get(2).path("status").asText()).isEqualTo("created");
        assertThat(results.get(3).path("status").asText()).isEqualTo("error");
        assertThat(results.get(3).path("field").asText()).isEqualTo("brand_id");
        assertThat(Rows.row("SELECT tenant_id::text AS t, brand_name FROM platform_brands WHERE id = ?::uuid", uuid(3, 1)))
                .containsEntry("t", TENANT).containsEntry("brand_name", "Acme Shoes");
        assertThat(Rows.number("SELECT count(*) FROM usage_metrics WHERE brand_id = ?::uuid", uuid(3, 1))).isEqualTo(1);
        assertThat(Rows.number("SELECT count(*) FROM usage_metrics WHERE tenant_id = ?::uuid", other)).isEqualTo(2);
        assertThat(Rows.row("SELECT tenant_id::text AS t FROM platform_brands WHERE id = ?::uuid", uuid(3, 9)))
                .containsEntry("t", other);
    }

    @Test
    void twoTenantsRacingToNameOneNewBrandLeaveItToOneOfThem() throws Exception {
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            String brand = uuid(5, round);
            int n = round;
            List<Response> answers = Race.run(2, i -> () -> post(batch(List.of(
                    record("race" + n, "2026-01-01T10:00:00Z", uuid(1, 100 + i), null, "1", 1)
                            .put("brand_id", brand).put("brand_name", "Race " + i)))));

            assertThat(answers).extracting(a -> a.json().path("results").get(0).path("status").asText())
                    .as(answers.get(0).body() + answers.get(1).body()).containsExactlyInAnyOrder("created", "error");
            assertThat(Rows.number("SELECT count(*) FROM usage_metrics m JOIN platform_brands b ON b.id = m.brand_id"
                    + " AND b.tenant_id = m.tenant_id WHERE m.brand_id = ?::uuid", brand)).isEqualTo(1);
        }
        assertThat(Rows.count("usage_metrics")).isEqualTo(rounds);
    }

    @Test
    void theDatabaseHoldsEveryNewRecordToItsTenantsBrands() {
        post(batch(List.of(record("a1", "2026-01-01T10:00:00Z", TENANT, USER, "1", 1).put("brand_id", uuid(3, 1)))));

        assertThatThrownBy(() -> Rows.row("INSERT INTO usage_metrics (idempotency_key, occurred_at, tenant_id, brand_id,"
                + " provider, model) VALUES ('direct', now(), ?::uuid, ?::uuid, 'openai', 'gpt-4o') RETURNING id",
                PLATFORM_TENANT, uuid(3, 1)))
                .rootCause().hasMessageContaining("usage_metrics_brand_of_tenant");
    }

    @Test
    void noRecordRenamesABrandAnAdminCreated() {
        String id = Rows.row("INSERT INTO platform_brands (tenant_id, brand_name) VALUES (?::uuid, 'Studio')"
                + " RETURNING id::text AS id", PLATFORM_TENANT).get("id").toString();

        Response r = post(batch(List.of(record("p1", "2026-01-01T10:00:00Z", PLATFORM_TENANT, USER, "1", 1)
                .put("brand_id", id).put("brand_name", "Renamed by a record"))));

        assertThat(r.json().path("created").asInt()).as(r.body()).isEqualTo(1);
        assertThat(Rows.row("SELECT brand_name FROM platform_brands WHERE id = ?::uuid", id))
                .containsEntry("brand_name", "Studio");
    }

    @Test
    void idempotencyKeysArePerTenant() {
        post(batch(List.of(record("shared-key", "2026-01-01T10:00:00Z", TENANT, USER, "1", 1))));

        Response r = post(batch(List.of(
                record("shared-key", "2026-01-01T10:00:00Z", uuid(1, 2), uuid(2, 2), "2", 2),
                record("shared-key", "2026-01-01T10:00:00Z", uuid(1, 3), null, "3", 3),
                record("shared-key", "2026-01-01T10:00:00Z", uuid(1, 3), null, "3", 3),
                record("shared-key", "2026-01-01T10:00:00Z", TENANT, USER, "9", 9))));

        JsonNode results = r.json().path("results");
        assertThat(results.get(0).path("status").asText()).as(r.body()).isEqualTo("created");
        assertThat(results.get(1).path("status").asText()).isEqualTo("created");
        assertThat(results.get(2).path("status").asText()).isEqualTo("duplicate");
        assertThat(results.get(3).path("status").asText()).isEqualTo("duplicate");
        assertThat(Rows.number("SELECT count(*) FROM usage_metrics WHERE idempotency_key = 'shared-key'")).isEqualTo(3);
        assertThat(Rows.row("SELECT cost_usd FROM usage_metrics WHERE tenant_id = ?::uuid", TENANT))
                .containsEntry("cost_usd", new BigDecimal("1.000000"));
    }

    @Test
    void theNilUuidAndThePlatformsIdsAreNoBrand() {
        List<ObjectNode> records = new ArrayList<>();
        for (String brand : List.of("00000000-0000-0000-0000-000000000000", PLATFORM_TENANT,
                "00000000-0000-0000-0000-000000000001")) {
            records.add(record("nb" + records.size(), "2026-01-01T10:00:00Z", TENANT, USER, "1", 1).put("brand_id", brand));
        }
        records.add(record("ok", "2026-01-01T10:00:00Z", TENANT, USER, "1", 1));

        JsonNode results = post(batch(records)).json().path("results");

        assertThat(results.size()).isEqualTo(4);
        for (int i = 0; i < 3; i++) {
            assertThat(results.get(i).path("status").asText()).as(results.get(i).toString()).isEqualTo("error");
            assertThat(results.get(i).path("field").asText()).isEqualTo("brand_id");
        }
        assertThat(results.get(3).path("status").asText()).isEqualTo("created");
        assertThat(Rows.count("platform_brands")).isZero();
    }

    @Test
    void anOccurredAtBefore2000FailsAloneInWords() {
        List<String> times = List.of("0000-01-01T00:00:00Z", "-0001-06-01T00:00:00Z", "-300000-01-01T00:00:00Z",
                "1999-12-31T23:59:59.999999Z");
        List<ObjectNode> records = new ArrayList<>();
        for (String time : times) {
            records.add(record("t" + records.size(), time, TENANT, USER, "1", 1));
        }
        records.add(record("in-range", "2000-01-01T00:00:00Z", TENANT, USER, "1", 1));

        Response r = post(batch(records));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode results = r.json().path("results");
        for (int i = 0; i < times.size(); i++) {
            assertThat(results.get(i).path("status").asText()).as(times.get(i) + " " + r.body()).isEqualTo("error");
            assertThat(results.get(i).path("field").asText()).isEqualTo("occurred_at");
            assertThat(results.get(i).path("message").asText()).contains("2000-01-01").doesNotContain("SQLSTATE");
        }
        assertThat(results.get(times.size()).path("status").asText()).isEqualTo("created");
        assertThat(Rows.count("usage_metrics")).isEqualTo(1);
    }

    @Test
    void amountsAreAsciiDigitsOnly() {
        List<ObjectNode> records = new ArrayList<>();
        for (String cost : List.of("\u0661.\u0665", "\uff11.\uff15", "\u0967", "1\u0660")) {
            records.add(record("c" + records.size(), "2026-01-01T10:00:00Z", TENANT, USER, cost, 1));
        }
        records.add(record("storage", "2026-01-01T10:00:00Z", TENANT, USER, "1", 1)
                .put("bigquery_storage_gb", "\u0661\u0662"));

        JsonNode results = post(batch(records)).json().path("results");

        assertThat(results.size()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(results.get(i).path("status").asText()).as(results.get(i).toString()).isEqualTo("error");
            assertThat(results.get(i).path("field").asText()).isEqualTo(i < 4 ? "cost_usd" : "bigquery_storage_gb");
        }
        assertThat(Rows.count("usage_metrics")).isZero();
    }

    @Test
    void withoutTheServiceTokenNothingIsStored() {
        var request = LambdaHarness.request("POST", "/usage/metrics",
                batch(List.of(record("a", "2026-01-01T00:00:00Z", TENANT, USER, "1", 1))));
        request.getHeaders().remove("Authorization");

        assertThat(lambda.handle(request).status()).isEqualTo(401);
        assertThat(Rows.count("usage_metrics")).isZero();
    }
}
