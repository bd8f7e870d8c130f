package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.appointments.Outcome;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.Map;

import static com.engarde.signupsync.functions.admineasyappointments.SyncedAppointments.appointment;
import static org.assertj.core.api.Assertions.assertThat;

/** POST .../appointments/{id}/outcome: audited, and the funnel's attended stage follows it. */
class AppointmentOutcomeTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final Instant START = Instant.parse("2026-06-10T09:00:00Z");

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(AdminRequests.properties());

    @BeforeEach
    void now() {
        TestClock.INSTANCE.set(NOW);
    }

    private static Response post(long id, String body) {
        return lambda.handle(AdminRequests.request("POST", "/api/admin/easyappointments/appointments/" + id + "/outcome",
                body, Map.of(), AdminJwts.superuser(NOW)));
    }

    private static long completedEvents() {
        return Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'appointment_completed'");
    }

    private static Object attendedAt(String email) {
        return Rows.row("SELECT a.at_appointment_completed FROM analytics_leads a JOIN leads l ON l.id = a.lead_id"
                + " WHERE l.email = ?", email).get("at_appointment_completed");
    }

    @Test
    void aRecordedNoShowTakesAwayTheAttendanceAStatusGaveAndIsAudited() {
        new SyncedAppointments().add(appointment(5, START.minusSeconds(86400), START, 30, "Attended", Outcome.COMPLETED,
                "came@example.com", "USD", "40.00")).write(lambda.harness());
        assertThat(completedEvents()).isEqualTo(1);
        assertThat(attendedAt("came@example.com")).isEqualTo(START.plusSeconds(1800));

        Response answer = post(5, "{\"outcome\":\"no_show\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("outcome").asText()).isEqualTo("no_show");
        assertThat(answer.json().path("outcome_recorded").asBoolean()).isTrue();
        assertThat(answer.json().path("status").asText()).as("the vendor's status is kept as it says").isEqualTo("Attended");
        assertThat(completedEvents()).isZero();
        assertThat(attendedAt("came@example.com")).as("a no-show is not an attendance").isNull();
        assertThat(Rows.row("SELECT action, target_type, target_id, actor_subject, summary->>'outcome' AS outcome"
                + " FROM platform_admin_actions"))
                .containsEntry("action", "appointment.outcome").containsEntry("target_type", "easyappointments_appointment")
                .containsEntry("target_id", "5").containsEntry("actor_subject", "user-root").containsEntry("outcome", "no_show");
    }

    @Test
    void aRecordedCompletionOfAnUnresolvedAppointmentAttendsAtItsEnd() {
        new SyncedAppointments().add(appointment(6, START.minusSeconds(86400), START, 30, "Booked", Outcome.BOOKED,
                "maybe@example.com", "USD", "40.00")).write(lambda.harness());
        assertThat(completedEvents()).as("unresolved is not attended yet").isZero();

        Response answer = post(6, "{\"outcome\":\"completed\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("outcome").asText()).isEqualTo("completed");
        assertThat(Rows.row("SELECT occurred_at FROM funnel_events WHERE event_type = 'appointment_completed'"))
                .containsEntry("occurred_at", START.plusSeconds(1800));
        assertThat(attendedAt("maybe@example.com")).isEqualTo(START.plusSeconds(1800));
        assertThat(Rows.count("platform_admin_actions")).isEqualTo(1);
    }

    @Test
    void refusalsNameTheirReasonAndWriteNothing() {
        new SyncedAppointments()
                .add(appointment(7, START.minusSeconds(86400), START, 30, "Cancelled", Outcome.CANCELLED, "gone@example.com", null, null))
                .add(appointment(8, START, NOW.plusSeconds(86400), 30, "Booked", Outcome.BOOKED, "later@example.com", null, null))
                .write(lambda.harness());

        Response cancelled = post(7, "{\"outcome\":\"completed\"}");
        Response future = post(8, "{\"outcome\":\"no_show\"}");
        Response unknown = post(99, "{\"outcome\":\"completed\"}");
        Response attended = post(7, "{\"outcome\":\"attended\"}");
        Response missing = post(7, "{}");
        Response anonymous = lambda.handle(AdminRequests.request("POST", "/api/admin/easyappointments/appointments/7/outcome",
                "{\"outcome\":\"completed\"}", Map.of(), null));
        Response badId = lambda.handle(AdminRequests.request("POST", "/api/admin/easyappointments/appointments/x1/outcome",
                "{\"outcome\":\"completed\"}", Map.of(), AdminJwts.superuser(NOW)));

        assertThat(cancelled.status()).isEqualTo(409);
        assertThat(cancelled.json().path("field").asText()).isEqualTo("outcome");
        assertThat(future.status()).isEqualTo(409);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(attended.status()).isEqualTo(400);
        assertThat(attended.json().path("field").asText()).isEqualTo("outcome");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().path("field").asText()).isEqualTo("id");
        assertThat(Rows.count("platform_admin_actions")).isZero();
        assertThat(Rows.number("SELECT count(*) FROM easyappointments_appointments WHERE recorded_outcome IS NOT NULL")).isZero();
    }
}
