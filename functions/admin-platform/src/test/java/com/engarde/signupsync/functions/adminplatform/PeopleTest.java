package com.engarde.signupsync.functions.adminplatform;

import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.BrevoStub;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subject access and erasure through the real handler: a person present in every table the service keeps people
 * in, beside another person, is answered in full and then erased everywhere; the funnel's counts stay the same.
 */
class PeopleTest {

    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final BrevoStub BREVO = new BrevoStub();

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(properties());

    static Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>(AdminJwts.PROPERTIES);
        p.put("engarde.database.pool-size", 4);
        p.put("signup.sync.encryption.key", KEY);
        p.put("brevo.api.url", BREVO.apiUrl());
        p.put("brevo.api.key", BrevoStub.API_KEY);
        return p;
    }

    @AfterAll
    static void stopBrevo() {
        BREVO.close();
    }

    /** The person: an email, a first and last name and a phone that appear nowhere else. */
    record Person(String email, String first, String last, String phone) {
    }

    static final Person ADA = new Person("augusta.lovelace@example.com", "Augusta", "Lovelace", "+44 20 7946 0001");
    static final Person GRACE = new Person("grace.hopper@example.com", "Grace", "Hopper", "+1 202 555 0199");

    static Response call(String method, String path, Map<String, String> query) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request(method, path, null);
        request.getHeaders().put("Authorization", "Bearer " + AdminJwts.superuser(Instant.now()));
        if (query != null) {
            request.setQueryStringParameters(query);
        }
        return lambda.handle(request);
    }

    @Test
    void subjectAccessAnswersEverythingAboutThePersonAndNothingOfAnother() {
        long ada = everywhere(ADA, 1);
        everywhere(GRACE, 2);

        Response found = call("GET", "/api/admin/people", Map.of("email", " Augusta.Lovelace@EXAMPLE.com "));

        assertThat(found.status()).as(found.body()).isEqualTo(200);
        JsonNode person = found.json();
        assertThat(person.at("/lead/id").asLong()).isEqualTo(ada);
        assertThat(person.at("/lead/phone").asText()).isEqualTo(ADA.phone());
        assertThat(person.path("events")).hasSize(3);
        assertThat(person.path("conversions")).hasSize(1);
        assertThat(person.path("appointments")).hasSize(1);
        assertThat(person.at("/appointments/0/customer_last_name").asText()).isEqualTo("Lovelace");
        assertThat(person.path("signup_queue")).hasSize(1);
        assertThat(person.path("invitations")).hasSize(1);
        assertThat(person.at("/invitations/0").has("token_hash")).isFalse();
        assertThat(person.path("webhook_deliveries")).hasSize(1);
        assertThat(person.at("/webhook_deliveries/0/raw_body").asText()).contains("Augusta.Lovelace@Example.com");
        assertThat(person.at("/email_list/sent")).hasSize(1);
        assertThat(person.at("/email_list/brevo_contact/unsubscribed_list_ids/0").asLong()).isEqualTo(7);
        assertThat(person.path("usage_users")).hasSize(1);
        assertThat(person.path("usage_record_count").asLong()).isEqualTo(2);
        assertThat(person.path("usage_records")).hasSize(2);
        assertThat(person.path("sync_failed_records")).hasSize(1);
        assertThat(person.at("/sync_failed_records/0/records")).hasSize(1);
        assertThat(person.path("suppressed").asBoolean()).isFalse();
        assertThat(found.body()).doesNotContain("grace", "Grace", "Hopper", GRACE.phone());

        assertThat(Rows.row("SELECT action, target_type, summary::text AS summary FROM platform_admin_actions"))
                .containsEntry("action", "person.access").containsEntry("target_type", "person");
        assertThat(Rows.number("SELECT count(*) FROM platform_admin_actions WHERE summary::text ILIKE '%lovelace%'"))
                .as("the audit row names no person").isZero();
        assertThat(call("GET", "/api/admin/people", Map.of("email", "not-an-email")).status()).isEqualTo(400);
        assertThat(call("GET", "/api/admin/people", null).status()).isEqualTo(400);
    }

    @Test
    void anErasureRemovesThePersonEverywhereKeepsTheFunnelsCountsAndDeletesTheBrevoContact() throws Exception {
        everywhere(ADA, 1);
        everywhere(GRACE, 2);
        BREVO.hold(ADA.email(), new ObjectMapper().createObjectNode(), Set.of(7L), Set.of(), false);
        List<String> before = funnelCounts();
        int deletionsBefore = BREVO.deletions().size();
        assertThat(scan(ADA)).as("the fixture holds the person everywhere").hasSizeGreaterThanOrEqualTo(12);

        Response erased = call("DELETE", "/api/admin/people", Map.of("email", "AUGUSTA.LOVELACE@example.com"));

        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        assertThat(erased.json().path("status").asText()).isEqualTo("done");
        assertThat(scan(ADA)).as("columns still naming the person").isEmpty();
        assertThat(scan(GRACE)).as("the other person is untouched").hasSizeGreaterThanOrEqualTo(12);
        assertThat(funnelCounts()).as("funnel totals").isEqualTo(before);
        assertThat(BREVO.deletions().subList(deletionsBefore, BREVO.deletions().size())).containsExactly(ADA.email());
        assertThat(BREVO.contact(ADA.email())).isEmpty();
        assertThat(Rows.number("SELECT count(*) FROM suppressed_emails WHERE reason = 'erasure' AND keyed")).isEqualTo(1);
        assertThat(Rows.number("SELECT count(*) FROM platform_admin_actions WHERE action = 'person.erase'")).isEqualTo(1);

        long id = erased.json().path("id").asLong();
        Response progress = call("GET", "/api/admin/people/erasures/" + id, null);
        assertThat(progress.status()).isEqualTo(200);
        Map<String, JsonNode> steps = new HashMap<>();
        progress.json().path("steps").forEach(s -> steps.put(s.path("step").asText(), s));
        assertThat(steps.get("table.leads").path("rows").asInt()).isEqualTo(1);
        assertThat(steps.get("table.funnel_events").path("rows").asInt()).isEqualTo(3);
        assertThat(steps.get("table.webhook_deliveries").path("rows").asInt()).isEqualTo(1);
        assertThat(steps.get("destination.brevo").path("status").asText()).isEqualTo("done");
        assertThat(steps.get("destination.brevo").path("attempts").asInt()).isEqualTo(1);

        JsonNode after = call("GET", "/api/admin/people", Map.of("email", ADA.email())).json();
        assertThat(after.path("lead").isNull()).isTrue();
        assertThat(after.path("suppressed").asBoolean()).isTrue();
        assertThat(call("GET", "/api/admin/people/erasures/999999", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/admin/people/erasures/x", null).status()).isEqualTo(400);
    }

    @Test
    void aBrevoOutageLeavesTheErasureVisiblyRunningAndAskingAgainFinishesIt() {
        everywhere(ADA, 1);
        BREVO.failNext(503, "service_unavailable", "try later");

        Response first = call("DELETE", "/api/admin/people", Map.of("email", ADA.email()));

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(first.json().path("status").asText()).isEqualTo("running");
        JsonNode brevo = step(first.json(), "destination.brevo");
        assertThat(brevo.path("status").asText()).isEqualTo("failed");
        assertThat(brevo.path("last_error").asText()).contains("503").doesNotContain("lovelace");
        assertThat(scan(ADA)).as("the database part is done").isEmpty();

        Response again = call("DELETE", "/api/admin/people", Map.of("email", ADA.email()));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("id").asLong()).isEqualTo(first.json().path("id").asLong());
        assertThat(step(again.json(), "destination.brevo").path("attempts").asInt()).isEqualTo(2);
        assertThat(again.json().path("finished_at").isTextual()).isTrue();
    }

    private static JsonNode step(JsonNode progress, String name) {
        for (JsonNode s : progress.path("steps")) {
            if (s.path("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + progress);
    }

    /** The person in every table that holds people; answers the lead's id. */
    static long everywhere(Person p, int n) {
        long lead = Rows.number("INSERT INTO leads (email, first_name, last_name, phone) VALUES (?, ?, ?, ?) RETURNING id",
                p.email(), p.first(), p.last(), p.phone());
        String data = "{\"first_name\":\"" + p.first() + "\",\"last_name\":\"" + p.last() + "\",\"phone\":\"" + p.phone() + "\"}";
        Rows.number("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at, event_data)"
                + " VALUES (?, 'manual', 'lead_captured', ?, '2026-06-01T10:00:00Z', ?::jsonb) RETURNING id", lead, "manual-" + p.email(), data);
        Rows.number("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at, event_data)"
                + " VALUES (?, 'easyappointments', 'appointment_booked', ?, '2026-06-02T10:00:00Z', ?::jsonb) RETURNING id",
                lead, Integer.toString(500 + n), data);
        Rows.number("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at, event_data)"
                + " VALUES (?, 'poshvip', 'ticket_purchased', ?, '2026-06-03T10:00:00Z', ?::jsonb) RETURNING id",
                lead, "order-" + n, data);
        Rows.number("INSERT INTO funnel_conversions (lead_id, platform_user_id, converted_at, first_touch_source,"
                + " first_touch_at, last_touch_source, last_touch_at, seconds_to_conversion)"
                + " VALUES (?, ?, '2026-06-04T10:00:00Z', 'manual', '2026-06-01T10:00:00Z', 'poshvip', '2026-06-03T10:00:00Z', 0)"
                + " RETURNING id", lead, "user-" + n);
        Rows.number("INSERT INTO sync_records (source_type, external_id, fingerprint) VALUES ('easyappointments', ?,"
                + " decode('00112233445566778899aabbccddeeff', 'hex')) RETURNING 1", Integer.toString(500 + n));
        String body = "{\"type\":\"new_order\",\"order_number\":\"order-" + n + "\",\"account_email\":\""
                + p.email().replace("augusta.lovelace@example", "Augusta.Lovelace@Example") + "\",\"account_first_name\":\""
                + p.first() + "\",\"account_last_name\":\"" + p.last() + "\",\"account_phone\":\"" + p.phone() + "\"}";
        Rows.number("INSERT INTO webhook_deliveries (source_type, delivery_key, raw_body, status, processed_at, headers)"
                + " VALUES ('poshvip', ?, convert_to(?, 'UTF8'), 'processed', now(), '{\"content-type\":\"application/json\"}')"
                + " RETURNING id", "new_order:order-" + n, body);
        Rows.number("INSERT INTO easyappointments_appointments (appointment_id, booked_at, start_at, end_at, timezone,"
                + " status, status_outcome, customer_id, lead_id, customer_email, customer_first_name, customer_last_name,"
                + " customer_phone, synced_at) VALUES (?, now(), now(), now() + interval '30 minutes', 'UTC', 'Booked',"
                + " 'booked', ?, ?, ?, ?, ?, ?, now()) RETURNING 1", 500L + n, 70L + n, lead, p.email(), p.first(), p.last(), p.phone());
        long queue = Rows.number("INSERT INTO signup_queue (lead_id, source_type, first_name, last_name, phone, status,"
                + " decided_by, decided_at) VALUES (?, 'easyappointments', ?, ?, ?, 'approved', 'user-root', now()) RETURNING id",
                lead, p.first(), p.last(), p.phone());
        Rows.number("INSERT INTO invitations (queue_id, token_hash, expires_at, created_by, sent_at, message_id)"
                + " VALUES (?, sha256(convert_to(?, 'UTF8')), now() + interval '7 days', 'user-root', now(), ?) RETURNING id",
                queue, "token-" + n, "<" + n + "@smtp-relay.mailin.fr>");
        Rows.number("INSERT INTO email_list_contacts (email_hash, list_id, content_hash) VALUES"
                + " (sha256(convert_to(?, 'UTF8')), 7, sha256(convert_to('content', 'UTF8'))) RETURNING 1", p.email());
        Rows.number("INSERT INTO brevo_contacts (email_hash, list_ids, unsubscribed_list_ids) VALUES"
                + " (sha256(convert_to(?, 'UTF8')), '{}', '{7}') RETURNING 1", p.email());
        java.util.UUID tenant = new java.util.UUID(n, 1);
        java.util.UUID user = new java.util.UUID(n, 2);
        Rows.number("INSERT INTO platform_tenants (id, name, plan_tier) VALUES (?, ?, 'pro') RETURNING 1", tenant, "Tenant " + n);
        Rows.number("INSERT INTO platform_users (id, email) VALUES (?, ?) RETURNING 1", user, p.email());
        for (int i = 0; i < 2; i++) {
            Rows.number("INSERT INTO usage_metrics (idempotency_key, occurred_at, tenant_id, user_id, provider, model,"
                    + " input_tokens) VALUES (?, now(), ?, ?, 'anthropic', 'claude', 10) RETURNING id", "u-" + n + "-" + i, tenant, user);
        }
        Rows.number("INSERT INTO funnel_sync_logs (source_type, trigger, status, finished_at, failed_count, failed_records)"
                + " VALUES ('zoom', 'manual', 'succeeded', now(), 2, ?::jsonb) RETURNING id",
                "[{\"external_id\":\"reg-" + n + "\",\"reason\":\"registrant " + p.email() + " has no join time\"},"
                        + "{\"external_id\":\"reg-x" + n + "\",\"reason\":\"no email\"}]");
        Rows.number("INSERT INTO insight_narratives (cache_key, analysis_type, model, narrative) VALUES (?, 'bookers',"
                + " 'claude', ?) RETURNING 1", String.format("%064x", n), p.first() + " " + p.last() + " booked twice.");
        return lead;
    }

    /** Every text, JSON, array and bytea column of every table, as "table.column" where a trace of the person is. */
    static List<String> scan(Person p) {
        List<String> found = new ArrayList<>();
        List<String> needles = List.of(p.email(), p.first(), p.last(), p.phone());
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("""
                    SELECT table_name, column_name, data_type FROM information_schema.columns
                    WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY')
                      AND table_name IN (SELECT table_name FROM information_schema.tables
                                         WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
                    ORDER BY table_name, column_name""")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            assertThat(columns).as("columns scanned").hasSizeGreaterThan(50);
            for (String[] col : columns) {
                String value = col[2].equals("bytea") ? "encode(\"" + col[1] + "\", 'escape')" : "\"" + col[1] + "\"::text";
                for (String needle : needles) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM \"" + col[0] + "\" WHERE lower("
                            + value + ") LIKE '%' || lower(?) || '%'")) {
                        ps.setString(1, needle);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                found.add(col[0] + "." + col[1] + " (" + (needle.equals(p.email()) ? "email" : needle.equals(p.phone()) ? "phone" : "name") + ")");
                            }
                        }
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** The analytics rollups as rows of text: the funnel's totals are read from these. */
    static List<String> funnelCounts() {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            for (String sql : List.of(
                    "SELECT t::text AS r FROM analytics_leads t ORDER BY r",
                    "SELECT t::text AS r FROM analytics_cohort_counts t ORDER BY r",
                    "SELECT t::text AS r FROM analytics_conversion_counts t ORDER BY r",
                    "SELECT t::text AS r FROM analytics_window_counts t ORDER BY r",
                    "SELECT count(*)::text FROM leads", "SELECT count(*)::text FROM funnel_events",
                    "SELECT count(*)::text FROM funnel_conversions",
                    "SELECT event_type || ' ' || source_type || ' ' || count(*) AS r FROM funnel_events GROUP BY event_type, source_type ORDER BY r")) {
                try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(rows).as("counts read").hasSizeGreaterThan(5);
        return rows;
    }
}
