package com.engarde.signupsync.local;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.testing.BrevoStub;
import com.engarde.signupsync.testing.EasyAppointmentsStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person written through every path (the events API, the EasyAppointments sync, the Posh.VIP webhook, a usage
 * record, the Brevo list sync) is erased through the admin API: no column of any table names them any more, the
 * funnel's answers are the same, Brevo deleted the contact; then every path that brings them again writes nothing
 * and counts them suppressed.
 */
class ErasureEveryPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "local-test-token";
    private static final String POSH_SECRET = "local-test-posh-secret-not-a-secret";
    private static final String EMAIL = "augusta.lovelace@example.com";
    private static final DateTimeFormatter EA = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Test
    void anErasedPersonIsGoneEverywhereAndNoPathBringsThemBack() throws Exception {
        TestDatabase.get().truncate();
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
        try (EasyAppointmentsStub ea = new EasyAppointmentsStub(); BrevoStub brevo = new BrevoStub()) {
            ea.addCustomer(7, "Augusta.Lovelace@Example.com", "Augusta", "Lovelace");
            ea.putAppointment(41, EA.format(now.minusDays(1)), EA.format(now.plusDays(3)),
                    EA.format(now.plusDays(3).plusMinutes(30)), "Booked", 7);
            ea.addCustomer(8, "grace.hopper@example.com", "Grace", "Hopper");
            ea.putAppointment(42, EA.format(now.minusDays(1)), EA.format(now.plusDays(4)),
                    EA.format(now.plusDays(4).plusMinutes(30)), "Booked", 8);
            Map<String, String> env = Map.ofEntries(Map.entry("ENGARDE_DATABASE_URL", TestDatabase.get().url()),
                    Map.entry("PORT", "0"), Map.entry("SIGNUP_SYNC_SERVICE_TOKEN", TOKEN),
                    Map.entry("EASYAPPOINTMENTS_URL", ea.url()), Map.entry("EASYAPPOINTMENTS_API_KEY", EasyAppointmentsStub.API_KEY),
                    Map.entry("BREVO_API_URL", brevo.apiUrl()), Map.entry("BREVO_API_KEY", BrevoStub.API_KEY),
                    Map.entry("BREVO_LIST_ID", "7"),
                    Map.entry("POSHVIP_WEBHOOK_SECRET", POSH_SECRET));
            try (LocalRun run = LocalRun.start(env)) {
                HttpClient http = HttpClient.newHttpClient();
                String admin = "Bearer " + run.adminToken();
                LocalDate today = now.toLocalDate();
                String range = "{\"date_from\":\"" + today.minusDays(1) + "\",\"date_to\":\"" + today.plusDays(10) + "\"}";

                assertThat(send(http, run, "POST", "/funnel/event", "Bearer " + TOKEN, event("api-1")).statusCode()).isEqualTo(201);
                assertThat(sync(http, run, "easyappointments").statusCode()).isEqualTo(202);
                assertThat(webhook(http, run, "order-1").statusCode()).isEqualTo(200);
                assertThat(send(http, run, "POST", "/usage/metrics", "Bearer " + TOKEN, usage("usage-1")).statusCode()).isEqualTo(200);
                HttpResponse<String> listed = send(http, run, "POST", "/api/admin/easyappointments/sync-to-email-list", admin, range);
                assertThat(listed.statusCode()).as(listed.body()).isEqualTo(202);
                idle(run);
                assertThat(brevo.contact(EMAIL)).as("the list sync sent the person").isPresent();
                assertThat(traces()).as("the person is held before the erasure").hasSizeGreaterThanOrEqualTo(8);
                String metrics = send(http, run, "GET", "/analytics/funnel-metrics", "Bearer " + TOKEN, null).body();
                long leads = Rows.count("leads");

                HttpResponse<String> erased = send(http, run, "DELETE", "/api/admin/people?email="
                        + URLEncoder.encode("Augusta.Lovelace@EXAMPLE.com", StandardCharsets.UTF_8), admin, null);

                assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
                assertThat(JSON.readTree(erased.body()).path("status").asText()).isEqualTo("done");
                assertThat(traces()).as("columns still naming the person").isEmpty();
                assertThat(send(http, run, "GET", "/analytics/funnel-metrics", "Bearer " + TOKEN, null).body())
                        .as("the funnel's answer").isEqualTo(metrics);
                assertThat(brevo.deletions()).containsExactly(EMAIL);
                assertThat(brevo.contact(EMAIL)).isEmpty();

                // Every path brings the person again: nothing is written, each counts them suppressed.
                ea.putAppointment(43, EA.format(now), EA.format(now.plusDays(5)), EA.format(now.plusDays(5).plusMinutes(30)), "Booked", 7);
                assertThat(sync(http, run, "easyappointments").statusCode()).isEqualTo(202);
                JsonNode status = JSON.readTree(send(http, run, "GET", "/sync/status/easyappointments", "Bearer " + TOKEN, null).body());
                assertThat(status.at("/counts/suppressed").asInt()).as(status.toString()).isEqualTo(2);
                assertThat(status.at("/counts/created").asInt()).isZero();
                assertThat(status.at("/counts/failed").asInt()).isZero();

                HttpResponse<String> again = webhook(http, run, "order-2");
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                assertThat(JSON.readTree(again.body()).path("events_suppressed").asInt()).isGreaterThanOrEqualTo(1);
                assertThat(JSON.readTree(again.body()).path("events_created").asInt()).isZero();

                HttpResponse<String> event = send(http, run, "POST", "/funnel/event", "Bearer " + TOKEN, event("api-2"));
                assertThat(event.statusCode()).as(event.body()).isEqualTo(200);
                assertThat(JSON.readTree(event.body()).path("suppressed").asBoolean()).isTrue();

                HttpResponse<String> usage = send(http, run, "POST", "/usage/metrics", "Bearer " + TOKEN, usage("usage-2"));
                assertThat(JSON.readTree(usage.body()).path("emails_suppressed").asInt()).as(usage.body()).isEqualTo(1);

                assertThat(send(http, run, "POST", "/api/admin/easyappointments/sync-to-email-list", admin, range)
                        .statusCode()).isEqualTo(202);
                idle(run);
                assertThat(brevo.contact(EMAIL)).as("the list sync never sends the person again").isEmpty();
                assertThat(Rows.number("SELECT suppressed_count FROM funnel_sync_logs WHERE source_type = 'brevo'"
                        + " ORDER BY id DESC LIMIT 1")).isEqualTo(1);

                assertThat(Rows.count("leads")).isEqualTo(leads);
                assertThat(traces()).as("columns naming the person after every path brought them again").isEmpty();
            }
        }
    }

    private static String event(String id) throws Exception {
        return JSON.writeValueAsString(Map.of("source_type", "manual", "event_type", "lead_captured",
                "email", "AUGUSTA.lovelace@example.com", "first_name", "Augusta", "external_id", id,
                "occurred_at", Instant.now().minusSeconds(60).toString()));
    }

    private static String usage(String key) throws Exception {
        return JSON.writeValueAsString(Map.of("records", List.of(Map.of("idempotency_key", key,
                "occurred_at", Instant.now().minusSeconds(60).toString(), "tenant_id", "00000000-0000-0000-0000-000000000007",
                "user_id", "00000000-0000-0000-0000-0000000000a1", "user_email", EMAIL, "provider", "openai",
                "model", "gpt-4o", "input_tokens", 10))));
    }

    private static HttpResponse<String> sync(HttpClient http, LocalRun run, String source) throws Exception {
        HttpResponse<String> started = send(http, run, "POST", "/sync/" + source, "Bearer " + TOKEN, "");
        idle(run);
        return started;
    }

    private static void idle(LocalRun run) throws InterruptedException {
        assertThat(run.context().getBean(InProcessBus.class).awaitIdle(Duration.ofSeconds(60))).isTrue();
    }

    private static HttpResponse<String> webhook(HttpClient http, LocalRun run, String order) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(Files.readAllBytes(
                LambdaHarness.eventsDir().resolve("webhooks/poshvip/new_order.json")));
        body.put("account_email", "Augusta.LOVELACE@example.com").put("order_number", order);
        HttpRequest request = HttpRequest.newBuilder(URI.create(run.url() + "/api/webhooks/poshvip"))
                .header("Content-Type", "application/json").header("Posh-Secret", POSH_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Every text, JSON, array and bytea column (bytea read as text where it is) that names the person. */
    private static List<String> traces() throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("""
                    SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                    JOIN information_schema.tables t USING (table_schema, table_name)
                    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                      AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY')""")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            assertThat(columns).as("columns scanned").hasSizeGreaterThan(50);
            for (String[] col : columns) {
                String value = col[2].equals("bytea") ? "encode(\"" + col[1] + "\", 'escape')" : "\"" + col[1] + "\"::text";
                for (String needle : List.of(EMAIL, "Augusta", "Lovelace", "+15550007")) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM \"" + col[0] + "\" WHERE lower("
                            + value + ") LIKE '%' || lower(?) || '%'")) {
                        ps.setString(1, needle);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                found.add(col[0] + "." + col[1] + " holds " + needle);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    private static HttpResponse<String> send(HttpClient http, LocalRun run, String method, String path,
                                             String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(run.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
