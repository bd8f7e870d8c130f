package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.Rows;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync keeps each appointment as the admin views need it (issue 26), and the funnel's
 * appointment_completed follows the outcome, not the clock.
 */
class AppointmentsAsDataTest {

    @Test
    void eachAppointmentIsKeptWithItsServiceProviderCustomerAndTimesInItsProvidersZone() {
        try (SyncFixture f = new SyncFixture()) {
            f.stub.addService(2, "Private lesson", 60, 85.5, "eur");
            f.stub.addProvider(2, "Europe/Berlin");
            f.stub.addCustomer(7, " Ada@Example.COM ", "Ada", "Lovelace");
            f.stub.putAppointment(41, "2026-06-01 08:15:00", "2026-06-20 10:00:00", "2026-06-20 11:00:00", "Confirmed", 7);
            f.stub.appointment(41).put("serviceId", 2).put("providerId", 2);

            assertThat(f.sync().status()).isEqualTo(SyncStatus.SUCCEEDED);

            Map<String, Object> row = Rows.row("SELECT * FROM easyappointments_appointments");
            assertThat(row).containsEntry("appointment_id", 41L)
                    .containsEntry("booked_at", Instant.parse("2026-06-01T08:15:00Z"))
                    .containsEntry("start_at", Instant.parse("2026-06-20T08:00:00Z"))
                    .containsEntry("end_at", Instant.parse("2026-06-20T09:00:00Z"))
                    .containsEntry("timezone", "Europe/Berlin")
                    .containsEntry("status", "Confirmed").containsEntry("status_outcome", "booked")
                    .containsEntry("service_id", 2L).containsEntry("service_name", "Private lesson")
                    .containsEntry("service_currency", "EUR").containsEntry("service_duration", 60)
                    .containsEntry("provider_id", 2L).containsEntry("customer_id", 7L)
                    .containsEntry("customer_email", "ada@example.com").containsEntry("customer_first_name", "Ada")
                    .containsEntry("customer_phone", "+15550007");
            assertThat((BigDecimal) row.get("service_price")).isEqualByComparingTo("85.50");
            assertThat(row.get("recorded_outcome")).isNull();
        }
    }

    /** Before issue 26 every past appointment that was not cancelled got appointment_completed: a no-show too. */
    @Test
    void aPastAppointmentNobodyResolvedIsNotCompletedInTheFunnel() {
        try (SyncFixture f = new SyncFixture()) {
            f.stub.addCustomer(1, "past@example.com", "Past", "Booker");
            f.appointment(1, 1, -10, "Booked");
            f.stub.addCustomer(2, "confirmed@example.com", "Confirmed", "Booker");
            f.appointment(2, 2, -3, "Confirmed");

            f.sync();

            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'appointment_completed'"))
                    .as("a past booking says nothing of whether the customer came").isZero();
            assertThat(Rows.number("SELECT count(*) FROM analytics_leads WHERE at_appointment_completed IS NOT NULL")).isZero();
            assertThat(Rows.number("SELECT count(*) FROM easyappointments_appointments WHERE outcome = 'booked'")).isEqualTo(2);
        }
    }

    @Test
    void aStatusTheInstanceMappedToCompletedWritesTheCompletionAtTheEndAndItGoesWhenTheStatusChanges() {
        try (SyncFixture f = new SyncFixture(Map.of("easyappointments.status-outcomes", "Attended=completed, Missed = no_show"))) {
            f.stub.addCustomer(1, "came@example.com", "Came", "Booker");
            f.appointment(1, 1, -10, "attended");
            f.stub.addCustomer(2, "missed@example.com", "Missed", "Booker");
            f.appointment(2, 2, -10, "Missed");

            f.sync();

            assertThat(Rows.row("SELECT string_agg(appointment_id || ':' || status_outcome || ':' || outcome, ','"
                    + " ORDER BY appointment_id) AS s FROM easyappointments_appointments"))
                    .containsEntry("s", "1:completed:completed,2:no_show:no_show");
            assertThat(Rows.row("SELECT external_id, occurred_at FROM funnel_events WHERE event_type = 'appointment_completed'"))
                    .containsEntry("external_id", "1")
                    .containsEntry("occurred_at", SyncFixture.NOW.minusSeconds(10 * 86400).minusSeconds(2 * 3600).plusSeconds(30 * 60));

            f.stub.setStatus(1, "Missed");
            f.sync();

            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'appointment_completed'")).isZero();
            assertThat(Rows.row("SELECT status, outcome FROM easyappointments_appointments WHERE appointment_id = 1"))
                    .containsEntry("status", "Missed").containsEntry("outcome", "no_show");
        }
    }

    @Test
    void aSyncUpdatesTheKeptAppointmentAndANoticedDeletionRemovesIt() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(5);
            f.sync();
            assertThat(Rows.count("easyappointments_appointments")).isEqualTo(5);

            f.stub.setStatus(3, "Cancelled");
            f.stub.delete(4);
            f.sync();

            assertThat(Rows.row("SELECT string_agg(appointment_id::text, ',' ORDER BY appointment_id) AS s"
                    + " FROM easyappointments_appointments")).containsEntry("s", "1,2,3,5");
            assertThat(Rows.row("SELECT status, status_outcome FROM easyappointments_appointments WHERE appointment_id = 3"))
                    .containsEntry("status", "Cancelled").containsEntry("status_outcome", "cancelled");
        }
    }
}
