package com.engarde.signupsync.local;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.testing.EasyAppointmentsStub;
import com.engarde.signupsync.testing.EventbriteStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.testing.ZoomStub;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person written through every path (the events API, the EasyAppointments, Zoom and Eventbrite syncs
 * against their stubs, the Posh.VIP webhook) in the letter case and spelling each source happens to use, in
 * several scripts, is one lead; what the normal form keeps apart (I and İ) stays apart.
 */
class OnePersonEveryPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "local-test-token";
    private static final String POSH_SECRET = "local-test-posh-secret-not-a-secret";

    @Test
    void everyPathAndEveryCaseOfOneMailboxFindsOneLead() throws Exception {
        TestDatabase.get().truncate();
        try (EasyAppointmentsStub ea = new EasyAppointmentsStub(); ZoomStub zoom = new ZoomStub();
             EventbriteStub eventbrite = new EventbriteStub(50)) {
            // Zoë Ångström: her capitals in every source; Eventbrite's address is decomposed (e + U+0308).
            ea.addCustomer(7, "ZOË.ÅNGSTRÖM@EXAMPLE.COM", "Zoë", "Ångström");
            ea.putAppointment(41, "2026-06-01 08:15:00", "2026-06-20 10:00:00", "2026-06-20 10:30:00", "Confirmed", 7);
            ea.addCustomer(8, "Zoë.Ångström@Example.com", "Zoë", "Ångström");
            ea.putAppointment(42, "2026-06-02 08:15:00", "2026-06-21 10:00:00", "2026-06-21 10:30:00", "Confirmed", 8);
            ea.addCustomer(9, "ДМИТРИЙ@example.com", "Дмитрий", null);
            ea.putAppointment(43, "2026-06-03 08:15:00", "2026-06-22 10:00:00", "2026-06-22 10:30:00", "Confirmed", 9);
            ea.addCustomer(10, "STRAẞE@example.com", null, null);
            ea.putAppointment(44, "2026-06-04 08:15:00", "2026-06-23 10:00:00", "2026-06-23 10:30:00", "Confirmed", 10);
            zoom.addUser("host-1");
            zoom.addWebinar("host-1", "81000000001", "Webinar");
            zoom.addRegistrant("81000000001", "r1", "zoë.ångström@example.com", "approved");
            zoom.addRegistrant("81000000001", "r2", "οδυσσευς@example.com", "approved");
            zoom.addRegistrant("81000000001", "r3", "straße@example.com", "approved");
            eventbrite.addAttendee("9001", "o1", "a1", "Zoe\u0308.A\u030angstro\u0308m@example.com", "2026-06-14T11:00:00Z");
            eventbrite.addAttendee("9001", "o2", "a2", "дмитрий@EXAMPLE.com", "2026-06-14T11:00:00Z");
            eventbrite.addAttendee("9001", "o3", "a3", "i\u0307nfo@example.com", "2026-06-14T11:00:00Z");

            Map<String, String> env = Map.ofEntries(Map.entry("ENGARDE_DATABASE_URL", TestDatabase.get().url()),
                    Map.entry("PORT", "0"), Map.entry("SIGNUP_SYNC_SERVICE_TOKEN", TOKEN),
                    Map.entry("EASYAPPOINTMENTS_URL", ea.url()), Map.entry("EASYAPPOINTMENTS_API_KEY", EasyAppointmentsStub.API_KEY),
                    Map.entry("ZOOM_API_URL", zoom.apiUrl()), Map.entry("ZOOM_OAUTH_URL", zoom.oauthUrl()),
                    Map.entry("ZOOM_ACCOUNT_ID", ZoomStub.ACCOUNT_ID), Map.entry("ZOOM_CLIENT_ID", ZoomStub.CLIENT_ID),
                    Map.entry("ZOOM_CLIENT_SECRET", ZoomStub.CLIENT_SECRET),
                    Map.entry("EVENTBRITE_API_URL", eventbrite.apiUrl()), Map.entry("EVENTBRITE_OAUTH_TOKEN", EventbriteStub.TOKEN),
                    Map.entry("POSHVIP_WEBHOOK_SECRET", POSH_SECRET));
            try (LocalRun run = LocalRun.start(env)) {
                HttpClient http = HttpClient.newHttpClient();
                List<String> apiEmails = List.of("Zoë.Ångström@Example.COM", "ΟΔΥΣΣΕΥΣ@example.com", "STRASSE@example.com",
                        "İNFO@example.com", "INFO@example.com");
                for (int i = 0; i < apiEmails.size(); i++) {
                    HttpResponse<String> sent = send(http, run, "/funnel/event", "Bearer " + TOKEN, Map.of(),
                            JSON.writeValueAsString(Map.of("source_type", "manual", "event_type", "lead_captured",
                                    "email", apiEmails.get(i), "external_id", "api-" + i,
                                    "occurred_at", "2026-06-10T10:00:00Z")));
                    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
                }
                for (String source : List.of("easyappointments", "zoom", "eventbrite")) {
                    HttpResponse<String> started = send(http, run, "/sync/" + source, "Bearer " + TOKEN, Map.of(), "");
                    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                    assertThat(run.context().getBean(InProcessBus.class).awaitIdle(Duration.ofSeconds(60))).isTrue();
                }
                for (String email : List.of("zoË.ÅngstrÖm@example.com", "Οδυσσευσ@example.com")) {
                    ObjectNode order = (ObjectNode) JSON.readTree(Files.readAllBytes(
                            LambdaHarness.eventsDir().resolve("webhooks/poshvip/new_order.json")));
                    order.put("account_email", email).put("order_number", "order-" + email.hashCode());
                    HttpResponse<String> delivered = send(http, run, "/api/webhooks/poshvip", null,
                            Map.of("Posh-Secret", POSH_SECRET), JSON.writeValueAsString(order));
                    assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
                }
            }
            assertThat(Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE status = 'succeeded'"))
                    .as("every connector ran").isEqualTo(3);
            assertThat(strings("SELECT l.email || ' ' || string_agg(DISTINCT e.source_type, ',' ORDER BY e.source_type)"
                    + " FROM leads l JOIN funnel_events e ON e.lead_id = l.id GROUP BY l.email ORDER BY l.email"))
                    .containsExactlyInAnyOrder(
                            "i\u0307nfo@example.com eventbrite,manual",
                            "info@example.com manual",
                            "strasse@example.com easyappointments,manual,zoom",
                            "zoë.ångström@example.com easyappointments,eventbrite,manual,poshvip,zoom",
                            "οδυσσευσ@example.com manual,poshvip,zoom",
                            "дмитрий@example.com easyappointments,eventbrite");
        }
    }

    private static List<String> strings(String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (java.sql.Connection c = TestDatabase.get().dataSource().getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static HttpResponse<String> send(HttpClient http, LocalRun run, String path, String authorization,
                                             Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(run.url() + path))
                .header("Content-Type", "application/json")
                .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
