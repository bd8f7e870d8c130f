package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.BrevoStub;
import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Race;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.functions.admineasyappointments.QueueFixtures.appointment;
import static org.assertj.core.api.Assertions.assertThat;

/** Bookers into the queue, the queue's pages, approvals with their invitations, rejections; every write audited. */
@ExpectsWarnings("invitation \\d+ was not sent: ")
class SignupQueueTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final BrevoStub brevo = new BrevoStub();

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(properties());

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>(AdminRequests.properties());
        properties.put("brevo.api.url", brevo.apiUrl());
        properties.put("brevo.api.key", BrevoStub.API_KEY);
        properties.put("brevo.invitation.template.id", "7");
        properties.put("signup.invitation.link", "https://app.example.com/signup");
        return properties;
    }

    @AfterAll
    static void stop() {
        brevo.close();
    }

    @BeforeEach
    void now() {
        TestClock.INSTANCE.set(NOW);
    }

    private static Response post(String path, String body) {
        return lambda.handle(AdminRequests.request("POST", path, body, Map.of(), AdminJwts.superuser(NOW)));
    }

    private static Response get(Map<String, String> params) {
        return lambda.handle(AdminRequests.request("GET", "/api/admin/signup-queue", null, params, AdminJwts.superuser(NOW)));
    }

    private static final String JUNE = "{\"date_from\":\"2026-06-01\",\"date_to\":\"2026-06-14\"}";

    /** Ada booked twice (once cancelled), Bo once; Cy is a user already, Di opted out, Ed booked in May. */
    private static void bookers() {
        appointment(1, "ada@example.com", Instant.parse("2026-06-02T10:00:00Z"), "Intro call", "booked", "+15550001");
        appointment(2, "ada@example.com", Instant.parse("2026-06-10T10:00:00Z"), "Private lesson", "booked", "+15550002");
        appointment(3, "ada@example.com", Instant.parse("2026-06-11T10:00:00Z"), "Group class", "cancelled", "+15550003");
        appointment(4, "bo@example.com", Instant.parse("2026-06-14T23:30:00Z"), "Intro call", "booked", null);
        appointment(5, "cy@example.com", Instant.parse("2026-06-05T10:00:00Z"), "Intro call", "booked", null);
        appointment(6, "di@example.com", Instant.parse("2026-06-06T10:00:00Z"), "Intro call", "booked", null);
        appointment(7, "ed@example.com", Instant.parse("2026-05-31T23:59:00Z"), "Intro call", "booked", null);
        QueueFixtures.converted("cy@example.com");
        QueueFixtures.suppressed("di@example.com");
    }

    @Test
    void bookersJoinThePendingQueueOnceWithWhatAnAdminDecidesOn() {
        bookers();

        Response first = post("/api/admin/easyappointments/add-bookers-to-queue", JUNE);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("added").asInt()).isEqualTo(2);
        assertThat(first.json().path("already_queued").asInt()).isZero();
        assertThat(first.json().path("already_users").asInt()).isEqualTo(1);
        assertThat(first.json().path("suppressed").asInt()).isEqualTo(1);
        assertThat(first.json().path("invited").asInt()).isZero();
        JsonNode entries = get(Map.of("status", "pending")).json().path("entries");
        assertThat(entries).hasSize(2);
        JsonNode ada = entries.get(0);
        assertThat(ada.path("email").asText()).isEqualTo("ada@example.com");
        assertThat(ada.path("total_bookings").asInt()).as("the cancelled one is not a booking").isEqualTo(2);
        assertThat(ada.path("services")).extracting(JsonNode::asText).containsExactlyInAnyOrder("Intro call", "Private lesson");
        assertThat(ada.path("last_booking_at").asText()).isEqualTo("2026-06-10T10:00:00Z");
        assertThat(ada.path("phone").asText()).isEqualTo("+15550003");
        assertThat(ada.path("source_type").asText()).isEqualTo("easyappointments");
        assertThat(ada.path("segments")).extracting(JsonNode::asText).containsExactly("returning_customer", "recent_customer");
        assertThat(ada.path("status").asText()).isEqualTo("pending");
        assertThat(entries.get(1).path("email").asText()).isEqualTo("bo@example.com");

        Response again = post("/api/admin/easyappointments/add-bookers-to-queue", JUNE);

        assertThat(again.json().path("added").asInt()).isZero();
        assertThat(again.json().path("already_queued").asInt()).isEqualTo(2);
        assertThat(Rows.count("signup_queue")).isEqualTo(2);
        assertThat(Rows.number("SELECT count(*) FROM platform_admin_actions WHERE action = 'signup_queue.add'"))
                .as("one audit row per write").isEqualTo(2);
        assertThat(Rows.count("platform_admin_actions")).isEqualTo(2);
    }

    @Test
    void concurrentAddsQueueEachPersonOnce() throws Exception {
        bookers();

        List<Response> answers = Race.run(4, i -> () -> post("/api/admin/easyappointments/add-bookers-to-queue", JUNE));

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(200));
        assertThat(answers.stream().mapToInt(a -> a.json().path("added").asInt()).sum()).isEqualTo(2);
        assertThat(Rows.count("signup_queue")).isEqualTo(2);
    }

    @Test
    void anySourcesLeadsJoinByTheirFunnelEvents() {
        long lead = QueueFixtures.lead("zoe@example.com", "Zoe", "Webinar");
        Rows.number("INSERT INTO funnel_events (source_type, event_type, external_id, lead_id, occurred_at)"
                + " VALUES ('zoom', 'event_registered', 'w1', ?, '2026-06-03T10:00:00Z') RETURNING id", lead);

        Response added = post("/api/admin/signup-queue/add", "{\"source_type\":\"zoom\",\"date_from\":\"2026-06-01\"}");
        Response unknown = post("/api/admin/signup-queue/add", "{\"source_type\":\"myspace\"}");
        Response backwards = post("/api/admin/signup-queue/add", "{\"source_type\":\"zoom\",\"date_from\":\"2026-06-02\",\"date_to\":\"2026-06-01\"}");

        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().path("added").asInt()).isEqualTo(1);
        JsonNode zoe = get(Map.of()).json().path("entries").get(0);
        assertThat(zoe.path("source_type").asText()).isEqualTo("zoom");
        assertThat(zoe.path("first_name").asText()).isEqualTo("Zoe");
        assertThat(zoe.path("total_bookings").asInt()).isZero();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("field").asText()).isEqualTo("source_type");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.json().path("field").asText()).isEqualTo("date_to");
        assertThat(Rows.count("platform_admin_actions")).isEqualTo(1);
    }

    @Test
    void pagesAreStableAndFollowTheCursor() {
        for (int i = 0; i < 5; i++) {
            appointment(10 + i, "p" + i + "@example.com", Instant.parse("2026-06-02T10:00:00Z"), "Intro call", "booked", null);
        }
        post("/api/admin/easyappointments/add-bookers-to-queue", JUNE);

        Response first = get(Map.of("page_size", "2"));
        String cursor = first.json().path("next_cursor").asText();
        appointment(20, "late@example.com", Instant.parse("2026-06-02T10:00:00Z"), "Intro call", "booked", null);
        post("/api/admin/easyappointments/add-bookers-to-queue", JUNE);
        Response second = get(Map.of("page_size", "2", "cursor", cursor));
        Response bad = get(Map.of("cursor", "nonsense"));
        Response badStatus = get(Map.of("status", "maybe"));

        assertThat(first.json().path("entries")).extracting(e -> e.path("email").asText())
                .containsExactly("p0@example.com", "p1@example.com");
        assertThat(second.json().path("entries")).extracting(e -> e.path("email").asText())
                .containsExactly("p2@example.com", "p3@example.com");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("cursor");
        assertThat(badStatus.status()).isEqualTo(400);
    }

    @Test
    void approvingIssuesAHashedTokenAndEmailsItAndASecondDecisionIs409() {
        bookers();
        post("/api/admin/easyappointments/add-bookers-to-queue", JUNE);
        long id = Rows.number("SELECT q.id FROM signup_queue q JOIN leads l ON l.id = q.lead_id WHERE l.email = 'ada@example.com'");
        int sentBefore = brevo.emails().size();

        Response approved = post("/api/admin/signup-queue/" + id + "/approve", "{\"expires_in_days\":14}");

        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().path("status").asText()).isEqualTo("approved");
        JsonNode invitation = approved.json().path("invitation");
        assertThat(invitation.path("status").asText()).isEqualTo("pending");
        assertThat(invitation.path("email_sent").asBoolean()).isTrue();
        assertThat(invitation.path("expires_at").asText()).isEqualTo("2026-06-29T12:00:00Z");
        assertThat(approved.body()).doesNotContain("token");
        assertThat(brevo.emails()).hasSize(sentBefore + 1);
        BrevoStub.Email email = brevo.emails().get(brevo.emails().size() - 1);
        assertThat(email.to()).isEqualTo("ada@example.com");
        assertThat(email.templateId()).isEqualTo(7);
        String link = email.params().path("INVITATION_URL").asText();
        assertThat(link).startsWith("https://app.example.com/signup?invitation=");
        String token = link.substring(link.indexOf('=') + 1);
        assertThat(token).hasSize(43);
        assertThat(Rows.row("SELECT encode(token_hash, 'hex') AS hash FROM invitations")).containsEntry("hash", Sha256.hex(token));
        assertThat(Rows.number("SELECT count(*) FROM invitations WHERE position(? in row(invitations.*)::text) > 0", token))
                .as("the token itself is stored nowhere").isZero();

        Response twice = post("/api/admin/signup-queue/" + id + "/approve", "{}");
        Response reject = post("/api/admin/signup-queue/" + id + "/reject", "{\"reason\":\"changed my mind\"}");
        Response tooLong = post("/api/admin/signup-queue/" + id + "/approve", "{\"expires_in_days\":31}");
        Response unknown = post("/api/admin/signup-queue/999999/approve", "{}");

        assertThat(twice.status()).isEqualTo(409);
        assertThat(reject.status()).isEqualTo(409);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("field").asText()).isEqualTo("expires_in_days");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(Rows.count("invitations")).isEqualTo(1);
        assertThat(Rows.number("SELECT count(*) FROM platform_admin_actions WHERE action = 'signup_queue.approve'")).isEqualTo(1);
        assertThat(Rows.count("platform_admin_actions")).isEqualTo(2);
    }

    @Test
    void theApprovalStandsWhenSendingFailsAndAResendGivesANewToken() {
        bookers();
        post("/api/admin/easyappointments/add-bookers-to-queue", JUNE);
        long id = Rows.number("SELECT q.id FROM signup_queue q JOIN leads l ON l.id = q.lead_id WHERE l.email = 'bo@example.com'");
        brevo.failNext(400, "invalid_parameter", "email is not valid for bo@example.com");

        Response approved = post("/api/admin/signup-queue/" + id + "/approve", "{}");

        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().path("status").asText()).isEqualTo("approved");
        assertThat(approved.json().path("invitation").path("email_sent").asBoolean()).isFalse();
        assertThat(approved.json().path("invitation").path("send_error").asText())
                .isEqualTo("Brevo refused the email: 400 invalid_parameter").doesNotContain("@");
        long firstInvitation = approved.json().path("invitation").path("id").asLong();

        Response resent = post("/api/admin/signup-queue/" + id + "/invitation/resend", "{}");

        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(resent.json().path("invitation").path("id").asLong()).isNotEqualTo(firstInvitation);
        assertThat(resent.json().path("invitation").path("email_sent").asBoolean()).isTrue();
        assertThat(Rows.row("SELECT status FROM invitations WHERE id = ?", firstInvitation)).containsEntry("status", "replaced");

        Response revoked = post("/api/admin/signup-queue/" + id + "/invitation/revoke", null);
        Response revokedAgain = post("/api/admin/signup-queue/" + id + "/invitation/revoke", null);

        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().path("invitation").path("status").asText()).isEqualTo("revoked");
        assertThat(revokedAgain.status()).isEqualTo(409);
        assertThat(Rows.number("SELECT count(*) FROM platform_admin_actions WHERE action IN"
                + " ('signup_queue.approve', 'invitation.resend', 'invitation.revoke')")).isEqualTo(3);
    }

    /** Brevo's transactional send is not idempotent: an email whose answer is lost is not sent again, an admin resends. */
    @Test
    void anInvitationEmailIsSentAtMostOnceWhenBrevoFails() {
        bookers();
        post("/api/admin/easyappointments/add-bookers-to-queue", JUNE);
        long id = Rows.number("SELECT q.id FROM signup_queue q JOIN leads l ON l.id = q.lead_id WHERE l.email = 'bo@example.com'");
        brevo.failNext(500, "internal_error", "Internal error");
        long sendsBefore = brevo.requests().stream().filter("POST /v3/smtp/email"::equals).count();

        Response approved = post("/api/admin/signup-queue/" + id + "/approve", "{}");

        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().path("invitation").path("email_sent").asBoolean()).isFalse();
        assertThat(approved.json().path("invitation").path("send_error").asText()).contains("500");
        assertThat(brevo.requests().stream().filter("POST /v3/smtp/email"::equals).count() - sendsBefore)
                .as("requests to send the invitation").isEqualTo(1);
    }

    @Test
    void rejectingNeedsAReasonAndAPendingEntryCannotBeResent() {
        bookers();
        post("/api/admin/easyappointments/add-bookers-to-queue", JUNE);
        long id = Rows.number("SELECT min(id) FROM signup_queue");

        Response resend = post("/api/admin/signup-queue/" + id + "/invitation/resend", "{}");
        Response noReason = post("/api/admin/signup-queue/" + id + "/reject", "{}");
        Response rejected = post("/api/admin/signup-queue/" + id + "/reject", "{\"reason\":\"a duplicate account\"}");
        Response approve = post("/api/admin/signup-queue/" + id + "/approve", "{}");

        assertThat(resend.status()).isEqualTo(409);
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().path("field").asText()).isEqualTo("reason");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(rejected.json().path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.json().path("reason").asText()).isEqualTo("a duplicate account");
        assertThat(approve.status()).isEqualTo(409);
        assertThat(Rows.count("invitations")).isZero();
        assertThat(Rows.number("SELECT count(*) FROM platform_admin_actions WHERE action = 'signup_queue.reject'")).isEqualTo(1);
    }

    @Test
    void autoInviteInvitesTheAddedAndASuppressedPersonIsNeverInvited() {
        bookers();

        Response added = post("/api/admin/easyappointments/add-bookers-to-queue",
                "{\"date_from\":\"2026-06-01\",\"date_to\":\"2026-06-14\",\"auto_invite\":true}");

        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().path("added").asInt()).isEqualTo(2);
        assertThat(added.json().path("invited").asInt()).isEqualTo(2);
        assertThat(added.json().path("emails_failed").asInt()).isZero();
        assertThat(brevo.emails()).extracting(BrevoStub.Email::to).doesNotContain("di@example.com", "cy@example.com");
        assertThat(Rows.number("SELECT count(*) FROM signup_queue WHERE status = 'approved'")).isEqualTo(2);
        assertThat(Rows.count("platform_admin_actions")).as("one write, one audit row").isEqualTo(1);

        // Someone queued, then suppressed before the decision, is refused.
        appointment(30, "fay@example.com", Instant.parse("2026-06-03T10:00:00Z"), "Intro call", "booked", null);
        post("/api/admin/easyappointments/add-bookers-to-queue", JUNE);
        QueueFixtures.suppressed("fay@example.com");
        long fay = Rows.number("SELECT q.id FROM signup_queue q JOIN leads l ON l.id = q.lead_id WHERE l.email = 'fay@example.com'");
        Response approve = post("/api/admin/signup-queue/" + fay + "/approve", "{}");
        assertThat(approve.status()).isEqualTo(409);
        assertThat(brevo.emails()).extracting(BrevoStub.Email::to).doesNotContain("fay@example.com");
    }
}
