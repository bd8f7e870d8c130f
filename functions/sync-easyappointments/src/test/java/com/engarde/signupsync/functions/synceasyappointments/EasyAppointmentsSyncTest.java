package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.sync.SyncCounts;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.Rows;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A first sync, and a second one over the same data, against the stub EasyAppointments. */
class EasyAppointmentsSyncTest {

    @Test
    void firstSyncWritesEveryAppointmentAndStopsOnTheShortPage() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts()).isEqualTo(new SyncCounts(25, 25, 0, 0, 0));
            // Pages of 10: 10, 10 and a short page of 5 ends the listing; no fourth request.
            assertThat(f.stub.count(r -> r.contains("/appointments?"))).isEqualTo(3);
            assertThat(f.stub.requests()).filteredOn(r -> r.contains("/appointments?"))
                    .allMatch(r -> r.contains("sort=id") && r.contains("length=10") && r.contains("with=customer"));
            assertThat(Rows.count("leads")).isEqualTo(25);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'appointment_booked'")).isEqualTo(25);
            // Even ids started in the past, and nobody recorded an outcome: unresolved, not completed (issue 26).
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'appointment_completed'")).isZero();
            assertThat(Rows.count("easyappointments_appointments")).isEqualTo(25);
            assertThat(run.cursorAfter().path("done").asBoolean()).isTrue();
            assertThat(run.cursorAfter().path("pass").asText()).isEqualTo("full");
            assertThat(run.cursorAfter().path("last_id").asLong()).isEqualTo(25);
        }
    }

    @Test
    void appointmentMapsToBookedAtTheBookingTimeWithTheCustomerAsLead() {
        try (SyncFixture f = new SyncFixture()) {
            f.stub.addCustomer(7, "  Ada@Example.COM ", "Ada", "Lovelace");
            f.stub.putAppointment(41, "2026-06-01 08:15:00", "2026-06-20 10:00:00", "2026-06-20 10:30:00", "Confirmed", 7);

            f.sync();

            Map<String, Object> event = Rows.row("SELECT e.occurred_at, e.external_id, e.event_data->>'status' AS status,"
                    + " e.event_data->>'start' AS start, e.event_data->>'service' AS service, (e.event_data -> 'notes') IS NOT NULL AS has_notes,"
                    + " l.email, l.first_name, l.last_name, l.phone FROM funnel_events e JOIN leads l ON l.id = e.lead_id"
                    + " WHERE e.event_type = 'appointment_booked'");
            assertThat(event.get("occurred_at")).isEqualTo(Instant.parse("2026-06-01T08:15:00Z"));
            assertThat(event.get("external_id")).isEqualTo("41");
            assertThat(event.get("status")).isEqualTo("Confirmed");
            assertThat(event.get("start")).isEqualTo("2026-06-20T10:00:00Z");
            assertThat(event.get("service")).isEqualTo("Intro call");
            assertThat(event.get("has_notes")).isEqualTo(false);
            assertThat(event.get("email")).isEqualTo("ada@example.com");
            assertThat(event.get("first_name")).isEqualTo("Ada");
            assertThat(event.get("phone")).isEqualTo("+15550007");
            assertThat(Rows.count("funnel_events")).isEqualTo(1);
        }
    }

    @Test
    void secondSyncOfUnchangedDataWritesNothing() {
        try (SyncFixture f = new SyncFixture(Map.of("easyappointments.full-pass-every", "0s"))) {
            f.appointments(25);
            f.sync();
            long eventVersions = Rows.number("SELECT sum(xmin::text::bigint) FROM funnel_events");
            long leadVersions = Rows.number("SELECT sum(xmin::text::bigint) FROM leads");
            long recordVersions = Rows.number("SELECT sum(xmin::text::bigint) FROM sync_records");

            SyncRun second = f.sync();

            assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(second.cursorAfter().path("pass").asText()).isEqualTo("full");
            assertThat(second.counts()).isEqualTo(new SyncCounts(25, 0, 0, 25, 0));
            assertThat(Rows.number("SELECT sum(xmin::text::bigint) FROM funnel_events")).isEqualTo(eventVersions);
            assertThat(Rows.number("SELECT sum(xmin::text::bigint) FROM leads")).isEqualTo(leadVersions);
            assertThat(Rows.number("SELECT sum(xmin::text::bigint) FROM sync_records")).isEqualTo(recordVersions);
        }
    }
}
