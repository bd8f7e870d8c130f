package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.sync.SyncCounts;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.EasyAppointmentsStub;
import com.engarde.signupsync.testing.EasyAppointmentsStub.Fault;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What EasyAppointments does wrong, as documented, and what a sync makes of it. */
@ExpectsWarnings({"EasyAppointments (answered \\d+|did not answer) ", "sync run \\d+ of easyappointments failed: ", "record\\(s\\) of page \\d+ failed"})
class VendorFaultsTest {

    private static final String PAGE_2 = EasyAppointmentsStub.BASE + "/appointments?page=2&";

    @Test
    void emptyTooManyRequestsWithoutRetryAfterIsWaitedOutForTheRateWindow() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            // As EasyAppointments sends it: 429, empty body, no Retry-After.
            f.stub.fault(Fault.status("/appointments", 429, null, Map.of()).on(r -> r.startsWith(PAGE_2)));
            long started = System.nanoTime();

            SyncRun run = f.sync();

            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts()).isEqualTo(new SyncCounts(25, 25, 0, 0, 0));
            assertThat(f.stub.count(r -> r.startsWith(PAGE_2))).isEqualTo(2);
            // The configured window is 200 ms: a bare 429 waits at least that long, not the 10 ms base backoff.
            assertThat(waitedMillis).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void serverErrorIsRetriedAndTheRunSucceeds() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            f.stub.fault(Fault.status("/appointments", 500, "{\"success\":false,\"message\":\"Deadlock found\"}", Map.of())
                    .on(r -> r.startsWith(PAGE_2)));

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(f.stub.count(r -> r.startsWith(PAGE_2))).isEqualTo(2);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'appointment_booked'")).isEqualTo(25);
        }
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(5);
            f.stub.fault(Fault.status("/appointments", 503, "", Map.of("Retry-After", "1")));
            long started = System.nanoTime();

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void aRequestThatTimesOutIsRetried() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            // The request timeout is 1 s here; the stub holds page 2 for 1.5 s once.
            f.stub.fault(Fault.delay("/appointments", 1500).on(r -> r.startsWith(PAGE_2)));

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().created()).isEqualTo(25);
            assertThat(f.stub.count(r -> r.startsWith(PAGE_2))).isEqualTo(2);
        }
    }

    @Test
    void serverErrorsBeyondTheRetriesFailTheRunWithTheVendorsMessageAndKeepTheCheckpoint() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            for (int i = 0; i < 4; i++) {
                f.stub.fault(Fault.status("/appointments", 500,
                        "{\"success\":false,\"message\":\"The requested appointment relation is not supported: foo\"}",
                        Map.of()).on(r -> r.startsWith(PAGE_2)));
            }

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(run.errorMessage()).contains("EasyAppointments answered 500")
                    .contains("The requested appointment relation is not supported: foo").contains("gave up after 4 attempts");
            // Page 1 was written and checkpointed: the next run starts on page 2.
            assertThat(run.counts().created()).isEqualTo(10);
            assertThat(run.cursorAfter().path("page").asInt()).isEqualTo(2);
            f.stub.clearRequests();
            SyncRun next = f.sync();
            assertThat(next.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(next.counts().created()).isEqualTo(15);
            assertThat(f.stub.requests()).filteredOn(r -> r.contains("/appointments?")).first().asString().contains("page=2&");
        }
    }

    @Test
    void wrongApiKeyFailsAtOnceWithTheVendorsPlainTextMessageAndNoSecret() {
        try (SyncFixture f = new SyncFixture(Map.of("easyappointments.api.key", "wrong-key-value"))) {
            f.appointments(5);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(run.errorMessage()).isEqualTo("EasyAppointments answered 401 to GET /index.php/api/v1/services:"
                    + " You are not authorized to use the API.");
            assertThat(run.errorMessage()).doesNotContain("wrong-key-value");
            // A 4xx is not retried.
            assertThat(f.stub.requests()).hasSize(1);
        }
    }

    @Test
    void unmappableRecordsAreSkippedWithTheirIdsAndTheRunStillSucceeds() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(12);
            f.stub.appointment(4).put("start", "2026-13-45 10:00:00");
            f.stub.addCustomer(99, null, "No", "Email");
            f.stub.appointment(9).put("customerId", 99);

            SyncRun run = f.sync();

            // The run covered the source: skipped records are counted and listed, they do not make it partial.
            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts()).isEqualTo(new SyncCounts(12, 10, 0, 0, 2));
            assertThat(run.errorMessage()).contains("2 record(s) skipped");
            assertThat(run.failedRecords()).extracting(r -> r.externalId()).containsExactly("4", "9");
            assertThat(run.failedRecords().get(0).reason()).contains("start '2026-13-45 10:00:00' is not a date-time");
            assertThat(run.failedRecords().get(1).reason()).isEqualTo("customer 99 has no email address");
            assertThat(Rows.number("SELECT count(DISTINCT external_id) FROM funnel_events")).isEqualTo(10);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE external_id IN ('4', '9')")).isZero();
        }
    }

    @Test
    void aServerThatIgnoresWithCustomerHasItsCustomersListedByPageNotFetchedOneByOne() {
        try (SyncFixture f = new SyncFixture(Map.of("easyappointments.page-size", 100))) {
            for (int i = 1; i <= 250; i++) {
                f.stub.addCustomer(i, "person" + i + "@example.com", "First" + i, "Last" + i);
            }
            for (int i = 1; i <= 1000; i++) {
                f.appointment(i, (i - 1) % 250 + 1, i % 2 == 0 ? -10 : 5, "Booked");
            }
            f.stub.honourWith(false);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().created()).isEqualTo(1000);
            assertThat(Rows.count("leads")).isEqualTo(250);
            List<String> customerCalls = f.stub.requests().stream().filter(r -> r.contains("/customers")).toList();
            // 250 customers at 100 a page: 3 listing requests, none per customer.
            assertThat(customerCalls).hasSize(3).allMatch(r -> r.contains("/customers?"));
            // 11 appointment pages (the 11th, empty, ends the listing), 1 of services, 1 of providers, 3 of
            // customers: well within 100 requests per 120 s, and the run log counts every one.
            assertThat(f.stub.requests()).hasSize(16);
            assertThat(run.requests()).isEqualTo(16);
        }
    }

    @Test
    void aCustomerCreatedAfterTheListingIsFetchedOnItsOwn() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(6);
            f.stub.honourWith(false);
            f.stub.addCustomer(77, "late@example.com", "Late", "Comer");
            f.appointment(7, 77, 3, "Booked");
            // Created after the listing was read: the listing does not have it yet.
            f.stub.leaveOutOfListing(77);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(Rows.count("leads")).isEqualTo(7);
            assertThat(f.stub.requests().stream().filter(r -> r.contains("/customers/")).toList())
                    .singleElement().matches(r -> r.endsWith("/customers/77"));
        }
    }

    @Test
    void aRetryAfterBeyondWhatASyncWaitsEndsTheRunAsPartialAndTheNextRunCarriesOn() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            // A daily quota: come back at tomorrow's reset (ISO timestamp), far beyond the 10 minutes a sync waits.
            f.stub.fault(Fault.status("/appointments", 429, "{\"message\":\"Daily limit reached\"}",
                    Map.of("Retry-After", "2026-06-16T00:00:00Z")).on(r -> r.startsWith(PAGE_2)));

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.PARTIAL);
            assertThat(run.counts().created()).isEqualTo(10);
            assertThat(run.errorMessage()).contains("Daily limit reached")
                    .contains("the next run after 2026-06-16T00:00:00Z carries on from this checkpoint");
            // Its continuation waits for the reset: it is carried out then, not retried now.
            SyncRun waiting = f.runs().running("easyappointments").orElseThrow();
            assertThat(waiting.notBefore()).isEqualTo(Instant.parse("2026-06-16T00:00:00Z"));
            TestClock.INSTANCE.set(Instant.parse("2026-06-16T00:00:01Z"));
            SyncRun next = f.sync();
            assertThat(next.id()).isEqualTo(waiting.id());
            assertThat(next.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(next.cursorBefore()).isEqualTo(run.cursorAfter());
            assertThat(next.counts().created()).isEqualTo(15);
        }
    }
}
