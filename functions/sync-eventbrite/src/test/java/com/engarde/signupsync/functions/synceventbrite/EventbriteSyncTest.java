package com.engarde.signupsync.functions.synceventbrite;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.EventbriteStub;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eventbrite's own behaviour against its stub: continuation paging and its stop rule, changed_since with an
 * overlap, buyer-only orders, refunds, the hourly limit, a bad token, the token's organization.
 */
@ExpectsWarnings({"sync run \\d+ of eventbrite failed: ", "Eventbrite answered 429 "})
class EventbriteSyncTest {

    private static final String ORG = EventbriteStub.ORGANIZATION;

    private static long events(String type) {
        return Rows.number("SELECT count(*) FROM funnel_events WHERE source_type = 'eventbrite' AND event_type = ?", type);
    }

    private static long attendeeRequests(EventbriteFixture f) {
        return f.stub.count(r -> r.contains("/organizations/" + ORG + "/attendees/"));
    }

    private static long orderRequests(EventbriteFixture f) {
        return f.stub.count(r -> r.contains("/organizations/" + ORG + "/orders/"));
    }

    @Test
    void continuationPagingReadsEveryPageOfTheOrganizationsAttendees() {
        try (EventbriteFixture f = new EventbriteFixture(10)) {
            f.attendees(25);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().created()).isEqualTo(25);
            assertThat(events("event_registered")).isEqualTo(25);
            // Pages 1-3: the first without a token, the next two each with the token of the page before.
            assertThat(attendeeRequests(f)).isEqualTo(3);
            assertThat(f.stub.count(r -> r.contains("/attendees/?continuation=c"))).isEqualTo(2);
            assertThat(f.stub.count(r -> r.contains("/events/"))).as("never event by event").isZero();
        }
    }

    @Test
    void hasMoreItemsFalseEndsAListingAlthoughItsPageCarriesAContinuationToken() {
        try (EventbriteFixture f = new EventbriteFixture(10)) {
            f.attendees(20);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(events("event_registered")).isEqualTo(20);
            // Two full pages: the second says has_more_items false and still hands out a token (c2), never sent.
            assertThat(attendeeRequests(f)).isEqualTo(2);
            assertThat(orderRequests(f)).isEqualTo(1);
            assertThat(f.stub.count(r -> r.contains("continuation=c2"))).isZero();
        }
    }

    @Test
    void aRecordChangedAtTheExactCursorBoundaryIsReadAndTheOverlapsReReadChangesNothing() {
        try (EventbriteFixture f = new EventbriteFixture(10)) {
            f.attendees(5);
            assertThat(f.sync().counts().created()).isEqualTo(5);
            // The newest change read was 2026-06-14T12:00:00Z: the next sync asks from ten minutes before it.
            f.stub.addAttendee("9001", "o-edge", "edge", "edge@example.com", "2026-06-14T11:50:00Z");
            // Listed late (eventual consistency), changed before the newest change already read: within the overlap.
            f.stub.addAttendee("9001", "o-late", "late", "late@example.com", "2026-06-14T11:57:00Z");
            f.stub.clearRequests();

            SyncRun again = f.sync();

            assertThat(again.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(f.stub.requests()).anyMatch(r -> r.contains("/attendees/?changed_since=2026-06-14T11:50:00Z"));
            assertThat(again.counts().created()).isEqualTo(2);
            assertThat(again.counts().unchanged()).isEqualTo(5);
            assertThat(again.counts().updated()).isZero();
            assertThat(events("event_registered")).isEqualTo(7);

            f.stub.clearRequests();
            SyncRun third = f.sync();
            assertThat(third.counts().created() + third.counts().updated()).isZero();
            assertThat(third.counts().unchanged()).isEqualTo(7);
        }
    }

    @Test
    void aSecondSyncOfUnchangedDataMakesOneRequestPerListing() {
        try (EventbriteFixture f = new EventbriteFixture(10)) {
            f.stub.generate(20, 5, EventbriteFixture.NOW.minus(Duration.ofDays(1)));
            SyncRun first = f.sync();
            assertThat(first.counts().created()).isEqualTo(300);
            f.stub.clearRequests();

            SyncRun again = f.sync();

            assertThat(again.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(again.counts().created() + again.counts().updated()).isZero();
            assertThat(attendeeRequests(f)).isEqualTo(1);
            assertThat(orderRequests(f)).isEqualTo(1);
            assertThat(f.stub.requests()).hasSize(2);
        }
    }

    @Test
    void theAttendeesOfABuyerOnlyOrderAreOnePersonNotOnePerTicket() {
        try (EventbriteFixture f = new EventbriteFixture(10)) {
            String at = EventbriteFixture.CHANGED;
            f.stub.addOrder("9001", "b1", "buyer@example.com", "placed", at);
            for (int t = 1; t <= 3; t++) {
                f.stub.addAttendee("9001", "b1", "b1-" + t, "Buyer@Example.com", at);
            }
            f.stub.attendee("b1-2").put("checked_in", true);
            f.stub.addOrder("9001", "n1", "host@example.com", "placed", at);
            f.stub.addAttendee("9001", "n1", "n1-1", "host@example.com", at);
            f.stub.addAttendee("9001", "n1", "n1-2", "guest@example.com", at);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().created()).as("5 attendees and 2 orders are records").isEqualTo(7);
            // The buyer's three tickets: one registration; the named order: one each for its two people.
            assertThat(events("event_registered")).isEqualTo(3);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events e JOIN leads l ON l.id = e.lead_id"
                    + " WHERE e.source_type = 'eventbrite' AND e.event_type = 'event_registered' AND l.email = 'buyer@example.com'"))
                    .isEqualTo(1);
            assertThat(events("event_attended")).isEqualTo(1);
            assertThat(events("ticket_purchased")).isEqualTo(2);

            f.stub.attendee("b1-3").put("checked_in", true).put("changed", "2026-06-14T13:00:00Z");
            SyncRun later = f.sync();
            assertThat(later.counts().updated()).isEqualTo(1);
            assertThat(events("event_attended")).as("the buyer attended once, whichever ticket was scanned").isEqualTo(1);
        }
    }

    @Test
    void refundedAndCancelledOrdersAreRefundsAndAnOrderNotPlacedIsNothingYet() {
        try (EventbriteFixture f = new EventbriteFixture(10)) {
            String at = EventbriteFixture.CHANGED;
            f.stub.addOrder("9001", "p1", "paid@example.com", "placed", at).put("affiliate", "spring-newsletter");
            f.stub.addOrder("9001", "r1", "refunded@example.com", "refunded", at);
            f.stub.addOrder("9001", "c1", "cancelled@example.com", "cancelled", at);
            f.stub.addOrder("9001", "s1", "started@example.com", "started", at);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(f.stub.requests()).anyMatch(r -> r.contains("/orders/?status=both"));
            assertThat(events("ticket_purchased")).isEqualTo(3);
            assertThat(events("ticket_refunded")).isEqualTo(2);
            assertThat(Rows.row("SELECT event_data->>'status' AS status, event_data->>'gross' AS gross, utm_source"
                    + " FROM funnel_events WHERE source_type = 'eventbrite' AND external_id = 'p1'"))
                    .containsEntry("status", "placed").containsEntry("gross", "25.00").containsEntry("utm_source", "spring-newsletter");

            f.stub.order("s1").put("status", "placed").put("changed", "2026-06-14T14:00:00Z");
            f.stub.order("p1").put("status", "refunded").put("changed", "2026-06-14T14:00:00Z");
            SyncRun later = f.sync();
            assertThat(later.counts().updated()).isEqualTo(2);
            assertThat(events("ticket_purchased")).isEqualTo(4);
            assertThat(events("ticket_refunded")).isEqualTo(3);
        }
    }

    @Test
    void a429WithRetryAfterIsWaitedForAndRetried() {
        try (EventbriteFixture f = new EventbriteFixture(10)) {
            f.attendees(15);
            f.stub.fault(EventbriteStub.Fault.on("continuation=", 429, "HIT_RATE_LIMIT",
                    "Hourly rate limit has been reached for this token.", Map.of("Retry-After", "30")));

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(f.waits()).containsExactly(Duration.ofSeconds(30));
            assertThat(f.stub.count(r -> r.contains("/attendees/?continuation="))).isEqualTo(2);
            assertThat(events("event_registered")).isEqualTo(15);
        }
    }

    @Test
    void a429WithoutRetryAfterIsTheHourlyLimitTheRunEndsPartialAndTheNextCarriesOn() {
        try (EventbriteFixture f = new EventbriteFixture(10)) {
            f.attendees(25);
            f.stub.hourlyLimit(2);

            SyncRun limited = f.sync();

            assertThat(limited.status()).isEqualTo(SyncStatus.PARTIAL);
            assertThat(limited.errorMessage()).contains("429", "Hourly rate limit", "2026-06-15T13:00:00Z");
            assertThat(f.stub.refused()).as("not retried into the same limit").isEqualTo(1);
            assertThat(f.waits()).isEmpty();
            assertThat(events("event_registered")).isEqualTo(20);

            // The continuation waits for the top of the hour: no run before it, the waiting one after it.
            SyncRun waiting = f.runs().running("eventbrite").orElseThrow();
            assertThat(waiting.notBefore()).isEqualTo(Instant.parse("2026-06-15T13:00:00Z"));
            f.stub.hourlyLimit(0);
            TestClock.INSTANCE.set(Instant.parse("2026-06-15T13:00:01Z"));
            SyncRun next = f.engine().execute(waiting.id(), f.source(), TimeBudget.unlimited()).orElseThrow();
            assertThat(next.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(next.cursorBefore()).isEqualTo(limited.cursorAfter());
            assertThat(next.counts().created()).isEqualTo(5);
            assertThat(events("event_registered")).isEqualTo(25);
        }
    }

    @Test
    void anInvalidTokenFailsTheRunWithEventbritesMessageAndNeverTheToken() {
        String wrong = "not-the-eventbrite-token-7f3a";
        try (EventbriteFixture f = new EventbriteFixture(10, Map.of("eventbrite.oauth.token", wrong))) {
            f.attendees(3);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(run.errorMessage()).contains("401", "The OAuth token you provided was invalid.").doesNotContain(wrong);
            assertThat(f.stub.requests()).hasSize(1);
            assertThat(events("event_registered")).isZero();
        }
    }

    @Test
    void withoutAConfiguredOrganizationTheTokensFirstOrganizationIsRead() {
        try (EventbriteFixture f = new EventbriteFixture(10, Map.of("eventbrite.organization.id", ""))) {
            f.stub.organizations(ORG, "999999");
            f.attendees(3);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(f.stub.count(r -> r.contains("/users/me/organizations/"))).isEqualTo(1);
            assertThat(attendeeRequests(f)).isEqualTo(1);
            assertThat(events("event_registered")).isEqualTo(3);
        }
    }

    @Test
    void aRefusedContinuationTokenReadsThatListingAgainAndLosesNothing() {
        try (EventbriteFixture f = new EventbriteFixture(10)) {
            f.attendees(25);
            AtomicBoolean expired = new AtomicBoolean();
            f.stub.afterAnswer(r -> {
                if (r.contains("/attendees/?continuation=") && expired.compareAndSet(false, true)) {
                    f.stub.expireContinuations();
                }
            });

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            // Pages 1 and 2, page 3 refused, then pages 1 to 3 again.
            assertThat(f.stub.count(r -> r.contains("/attendees/"))).isEqualTo(6);
            assertThat(events("event_registered")).isEqualTo(25);
            assertThat(run.counts().created()).isEqualTo(25);
        }
    }
}
