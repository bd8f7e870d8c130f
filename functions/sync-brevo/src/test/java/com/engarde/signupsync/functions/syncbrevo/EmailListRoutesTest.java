package com.engarde.signupsync.functions.syncbrevo;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.BrevoStub;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin routes that start the email list's runs: who each scope sends, what bad input gets, the audit. */
class EmailListRoutesTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final BrevoStub brevo = new BrevoStub();

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(properties());

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>(AdminRequests.properties());
        properties.put("brevo.api.url", brevo.apiUrl());
        properties.put("brevo.api.key", BrevoStub.API_KEY);
        properties.put("brevo.list.id", "7");
        properties.put("test.waits", "recorded");
        return properties;
    }

    @AfterAll
    static void stop() {
        brevo.close();
    }

    @BeforeEach
    void now() {
        TestClock.INSTANCE.set(NOW);
        brevo.clock(TestClock.INSTANCE::instant);
    }

    private static Response post(String path, String body) {
        Response response = lambda.handle(AdminRequests.request("POST", path, body, Map.of(), AdminJwts.superuser(NOW)));
        try {
            assertThat(lambda.harness().context().getBean(InProcessBus.class).awaitIdle(Duration.ofSeconds(30))).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return response;
    }

    private static long lead(String email) {
        return Rows.number("INSERT INTO leads (email, first_name) VALUES (?, 'Someone') RETURNING id", email);
    }

    private static void booking(long lead, long id, String start) {
        Instant at = Instant.parse(start);
        Rows.number("INSERT INTO easyappointments_appointments (appointment_id, booked_at, start_at, end_at, timezone,"
                        + " status, status_outcome, service_id, service_name, customer_id, customer_email,"
                        + " customer_first_name, customer_last_name, customer_phone, lead_id, synced_at)"
                        + " VALUES (?, ?, ?, ?, 'UTC', 'Booked', 'completed', 1, 'Trial', ?, 'x@example.com', 'First',"
                        + " 'Last', NULL, ?, now()) RETURNING appointment_id",
                id, Timestamp.from(at.minusSeconds(86400)), Timestamp.from(at), Timestamp.from(at.plusSeconds(1800)), id, lead);
    }

    private static int audits() {
        return (int) Rows.number("SELECT count(*) FROM platform_admin_actions WHERE action = 'email_list.sync'");
    }

    @Test
    void theBookersOfTheRangeAreSentAndTheRequestIsAuditedOnce() {
        long inRange = lead("ann@example.com");
        booking(inRange, 1, "2026-06-03T10:00:00Z");
        long before = lead("bob@example.com");
        booking(before, 2, "2026-05-20T10:00:00Z");
        lead("cy@example.com");
        int audited = audits();

        Response response = post("/api/admin/easyappointments/sync-to-email-list",
                "{\"date_from\":\"2026-06-01\",\"date_to\":\"2026-06-14\"}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().path("started").asBoolean()).isTrue();
        assertThat(response.json().path("scope").asText()).isEqualTo("source");
        assertThat(response.json().path("source_type").asText()).isEqualTo("easyappointments");
        assertThat(response.json().path("list_id").asLong()).isEqualTo(7);
        assertThat(response.json().path("status_url").asText()).isEqualTo("/sync/status/brevo");
        assertThat(brevo.contact("ann@example.com")).isPresent();
        assertThat(brevo.contact("bob@example.com")).isEmpty();
        assertThat(brevo.contact("cy@example.com")).isEmpty();
        assertThat(Rows.row("SELECT status FROM funnel_sync_logs WHERE id = ?", response.json().path("run_id").asLong())
                .get("status")).isEqualTo("succeeded");
        assertThat(audits()).isEqualTo(audited + 1);
    }

    @Test
    void aSourcesLeadsOrThePlatformUsersOfTheRangeAreSent() {
        long zoom = lead("zed@example.com");
        Rows.number("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at)"
                + " VALUES (?, 'zoom', 'event_registered', 'r1', '2026-06-10T09:00:00Z') RETURNING id", zoom);
        long user = lead("una@example.com");
        Rows.number("INSERT INTO funnel_conversions (lead_id, platform_user_id, converted_at, first_touch_source,"
                + " first_touch_at, last_touch_source, last_touch_at, seconds_to_conversion)"
                + " VALUES (?, 'user-1', '2026-06-12T09:00:00Z', 'manual', '2026-06-01T09:00:00Z', 'manual',"
                + " '2026-06-01T09:00:00Z', 0) RETURNING id", user);
        lead("nobody@example.com");
        int audited = audits();

        Response zoomRun = post("/api/admin/email-list/sync",
                "{\"scope\":\"source\",\"source_type\":\"zoom\",\"date_from\":\"2026-06-01\",\"date_to\":\"2026-06-14\"}");
        assertThat(zoomRun.status()).isEqualTo(202);
        assertThat(brevo.contact("zed@example.com")).isPresent();
        assertThat(brevo.contact("una@example.com")).isEmpty();

        Response users = post("/api/admin/email-list/sync", "{\"scope\":\"platform_users\",\"list_id\":9}");
        assertThat(users.status()).isEqualTo(202);
        assertThat(users.json().path("date_from").asText()).isEqualTo("2026-05-17");
        assertThat(brevo.contact("una@example.com").orElseThrow().listIds()).containsExactly(9L);
        assertThat(brevo.contact("nobody@example.com")).isEmpty();
        assertThat(audits()).isEqualTo(audited + 2);
    }

    @Test
    void badInputIsA400NamingTheFieldAndStartsNothing() {
        lead("ann@example.com");
        long runs = Rows.count("funnel_sync_logs");
        int audited = audits();
        int held = brevo.contacts();
        Map<String, String> cases = Map.of(
                "{\"scope\":\"everyone\"}", "scope",
                "{\"scope\":\"source\"}", "source_type",
                "{\"scope\":\"source\",\"source_type\":\"myspace\"}", "source_type",
                "{\"scope\":\"all\",\"date_from\":\"2026-06-01\"}", "date_from",
                "{\"scope\":\"platform_users\",\"date_from\":\"2026-06-10\",\"date_to\":\"2026-06-01\"}", "date_to",
                "{\"list_id\":-3}", "list_id",
                "{\"scope\":\"platform_users\",\"source_type\":\"zoom\"}", "source_type");
        cases.forEach((body, field) -> {
            Response response = post("/api/admin/email-list/sync", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().path("field").asText()).as(body).isEqualTo(field);
        });
        assertThat(post("/api/admin/easyappointments/sync-to-email-list", "[1]").status()).isEqualTo(400);
        assertThat(Rows.count("funnel_sync_logs")).isEqualTo(runs);
        assertThat(audits()).isEqualTo(audited);
        assertThat(brevo.contacts()).isEqualTo(held);
    }

    @Test
    void theDailyScheduleSendsEveryLeadToTheConfiguredListWithoutAnAuditRow() throws Exception {
        lead("sam@example.com");
        lead("sue@example.com");
        int audited = audits();

        lambda.harness().context().getBean(DailyEmailListSync.class).onSchedule(com.engarde.signupsync.http.TimeBudget.unlimited());
        assertThat(lambda.harness().context().getBean(InProcessBus.class).awaitIdle(Duration.ofSeconds(30))).isTrue();

        assertThat(brevo.contact("sam@example.com").orElseThrow().listIds()).contains(7L);
        assertThat(brevo.contact("sue@example.com").orElseThrow().listIds()).contains(7L);
        assertThat(Rows.row("SELECT trigger FROM funnel_sync_logs WHERE source_type = 'brevo' ORDER BY id DESC LIMIT 1")
                .get("trigger")).isEqualTo("schedule");
        assertThat(audits()).as("a schedule is not an admin's write").isEqualTo(audited);
    }

    @Test
    void aRequestWhileARunGoesJoinsItAndTheAnswerNamesWhatThatRunSends() {
        com.engarde.signupsync.emaillist.EmailListScope going = new com.engarde.signupsync.emaillist.EmailListScope(
                com.engarde.signupsync.emaillist.EmailListScope.Kind.SOURCE, "zoom",
                java.time.LocalDate.parse("2026-06-01"), java.time.LocalDate.parse("2026-06-02"), 7);
        long running = lambda.harness().context().getBean(com.engarde.signupsync.sync.internal.SyncRunLog.class)
                .start("brevo", com.engarde.signupsync.bus.SyncTrigger.MANUAL, going.toJson()).run().id();
        int audited = audits();

        Response response = post("/api/admin/email-list/sync", "{\"scope\":\"all\"}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().path("run_id").asLong()).isEqualTo(running);
        assertThat(response.json().path("started").asBoolean()).isFalse();
        assertThat(response.json().path("scope").asText()).as(response.json() + " " + Rows.row("SELECT cursor_before::text AS c, status FROM funnel_sync_logs WHERE id = ?", running)).isEqualTo("source");
        assertThat(response.json().path("source_type").asText()).isEqualTo("zoom");
        assertThat(audits()).as("the request is audited, joined or not").isEqualTo(audited + 1);
    }
}
