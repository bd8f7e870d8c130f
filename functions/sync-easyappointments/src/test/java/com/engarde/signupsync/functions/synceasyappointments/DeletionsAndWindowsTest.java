package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.sync.SyncCounts;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.EasyAppointmentsStub;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancellations, hard deletes and the listing shifting under a sync; window and full passes. */
class DeletionsAndWindowsTest {

    private static final String SINGLE = EasyAppointmentsStub.BASE + "/appointments/";

    @Test
    void cancelledAndDeletedAppointmentsDoNotLingerAsBooked() {
        try (SyncFixture f = new SyncFixture(Map.of("easyappointments.full-pass-every", "0s"))) {
            f.appointments(25);
            f.sync();
            f.stub.setStatus(3, "Cancelled");   // upcoming, cancelled by an admin
            f.stub.delete(5);                   // upcoming, cancelled by the customer: a hard delete
            f.stub.delete(8);                   // past, deleted in a clean-up
            f.stub.addCustomer(26, "new@example.com", "New", "Person");
            f.appointment(26, 26, 3, "Booked");

            SyncRun second = f.sync();

            assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(second.counts()).isEqualTo(new SyncCounts(24, 1, 3, 22, 0));
            assertThat(Rows.row("SELECT occurred_at, event_data->>'status' AS status FROM funnel_events"
                    + " WHERE external_id = '3' AND event_type = 'appointment_cancelled'"))
                    .containsEntry("occurred_at", SyncFixture.NOW).containsEntry("status", "Cancelled");
            assertThat(Rows.row("SELECT event_data->>'status' AS status FROM funnel_events"
                    + " WHERE external_id = '3' AND event_type = 'appointment_booked'")).containsEntry("status", "Cancelled");
            assertThat(Rows.row("SELECT event_data->>'status' AS status, l.email FROM funnel_events e JOIN leads l"
                    + " ON l.id = e.lead_id WHERE external_id = '5' AND event_type = 'appointment_cancelled'"))
                    .containsEntry("status", "deleted").containsEntry("email", "person5@example.com");
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE external_id = '8'"
                    + " AND event_type = 'appointment_cancelled'")).isZero();
            assertThat(Rows.number("SELECT count(*) FROM sync_records WHERE deleted_at IS NOT NULL")).isEqualTo(2);
            // Deletions on the first page of a full pass need no confirmation.
            assertThat(f.stub.count(r -> r.startsWith(SINGLE))).isZero();

            SyncRun third = f.sync();
            assertThat(third.counts()).isEqualTo(new SyncCounts(24, 0, 0, 24, 0));
        }
    }

    @Test
    void aRecordSkippedBecauseTheListingShiftedIsConfirmedNotTakenForDeleted() {
        try (SyncFixture f = new SyncFixture(Map.of("easyappointments.full-pass-every", "0s"))) {
            f.appointments(25);
            f.sync();
            AtomicBoolean deleted = new AtomicBoolean();
            // Appointment 3 is deleted after page 1 was read: page 2 (offset 10) now starts at 12 and 11 is never listed.
            f.stub.afterAnswer(r -> {
                if (r.contains("/appointments?page=1&") && deleted.compareAndSet(false, true)) {
                    f.stub.delete(3);
                }
            });

            SyncRun second = f.sync();

            assertThat(f.stub.requests()).anyMatch(r -> r.startsWith(SINGLE + "11?"));
            assertThat(second.counts()).isEqualTo(new SyncCounts(25, 0, 0, 25, 0));
            assertThat(Rows.number("SELECT count(*) FROM sync_records WHERE deleted_at IS NOT NULL")).isZero();
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'appointment_cancelled'")).isZero();

            SyncRun third = f.sync();
            assertThat(third.counts().updated()).isEqualTo(1);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE external_id = '3'"
                    + " AND event_type = 'appointment_cancelled'")).isEqualTo(1);
        }
    }

    @Test
    void daysBetweenFullPassesReadOnlyTheWindowAndAFullPassCatchesTheRest() {
        try (SyncFixture f = new SyncFixture()) {
            f.stub.addCustomer(1, "old@example.com", "Old", "Timer");
            f.stub.addCustomer(2, "soon@example.com", "Soon", "Comer");
            f.appointment(1, 1, -60, "Booked");    // long past: outside the 30-day window
            f.appointment(2, 2, 4, "Booked");
            f.appointment(3, 2, 9, "Booked");
            SyncRun first = f.sync();
            assertThat(first.cursorAfter().path("pass").asText()).isEqualTo("full");

            TestClock.INSTANCE.advance(Duration.ofDays(1));
            f.stub.setStatus(1, "Cancelled");      // an old edit: only a full pass sees it
            f.stub.setStatus(2, "Cancelled");
            f.stub.delete(3);                      // upcoming, in the window: confirmed, then cancelled
            f.stub.addCustomer(3, "new@example.com", "New", "Booker");
            f.appointment(4, 3, 2, "Booked");
            f.stub.clearRequests();

            SyncRun window = f.sync();

            assertThat(window.cursorAfter().path("pass").asText()).isEqualTo("window");
            assertThat(window.cursorAfter().path("from").asText()).isEqualTo("2026-05-17");
            assertThat(f.stub.requests()).filteredOn(r -> r.contains("/appointments?")).allMatch(r -> r.contains("from=2026-05-17"));
            assertThat(f.stub.requests()).anyMatch(r -> r.startsWith(SINGLE + "3?"));
            assertThat(window.counts()).isEqualTo(new SyncCounts(2, 1, 2, 0, 0));
            assertThat(cancelled("1")).isZero();
            assertThat(cancelled("2")).isEqualTo(1);
            assertThat(cancelled("3")).isEqualTo(1);

            TestClock.INSTANCE.advance(Duration.ofDays(7));
            SyncRun full = f.sync();

            assertThat(full.cursorAfter().path("pass").asText()).isEqualTo("full");
            assertThat(full.cursorAfter().path("last_full_pass_at").asText()).isEqualTo(
                    Instant.parse("2026-06-23T12:00:00Z").toString());
            assertThat(cancelled("1")).isEqualTo(1);
        }
    }

    private static long cancelled(String externalId) {
        return Rows.number("SELECT count(*) FROM funnel_events WHERE external_id = ? AND event_type = 'appointment_cancelled'",
                externalId);
    }
}
