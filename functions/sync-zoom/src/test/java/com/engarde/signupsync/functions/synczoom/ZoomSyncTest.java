package com.engarde.signupsync.functions.synczoom;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.sync.SyncDispatch;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.ZoomStub;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Zoom's own behaviour against its stub: tokens, rate limits, page tokens, skipped webinars and users, statuses, runs. */
@ExpectsWarnings({"record\\(s\\) of page \\d+ failed", "no sync function for '\\w+' runs in this process", "Zoom answered 429 "})
class ZoomSyncTest {

    private static final String WEBINAR = "81000000001";
    private static final Instant RESET = Instant.parse("2026-06-16T00:00:00Z");

    private static long events(String type) {
        return Rows.number("SELECT count(*) FROM funnel_events WHERE source_type = 'zoom' AND event_type = ?", type);
    }

    @Test
    void anAccessTokenThatExpiresMidRunIsRenewedOnceAndTheRunGoesOn() {
        try (ZoomFixture f = new ZoomFixture(10)) {
            f.webinar(WEBINAR, 25);
            AtomicBoolean expired = new AtomicBoolean();
            f.stub.afterAnswer(r -> {
                if (r.contains("/registrants?") && expired.compareAndSet(false, true)) {
                    f.stub.expireTokens();
                }
            });

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(f.stub.tokensIssued()).isEqualTo(2);
            assertThat(events("event_registered")).isEqualTo(25);
        }
    }

    @Test
    void aTokenIsFetchedOncePerAccountAcrossRequestsAndRuns() {
        try (ZoomFixture f = new ZoomFixture(10)) {
            f.webinar(WEBINAR, 25);
            f.sync();
            f.sync();
            assertThat(f.stub.count(r -> r.contains("/registrants?"))).isGreaterThanOrEqualTo(10);
            assertThat(f.stub.tokensIssued()).isEqualTo(1);
        }
    }

    @Test
    void a429WithRateLimitHeadersAndABareOneAreRetried() {
        try (ZoomFixture f = new ZoomFixture(10)) {
            f.webinar(WEBINAR, 25);
            f.stub.fault(ZoomStub.Fault.on("/registrants?", 429, 429, "You have reached the maximum per-second rate limit for this API.",
                    Map.of("X-RateLimit-Category", "Medium", "X-RateLimit-Type", "QPS", "X-RateLimit-Limit", "20",
                            "X-RateLimit-Remaining", "0")));
            f.stub.fault(new ZoomStub.Fault(r -> r.contains("next_page_token="), 429, "", Map.of()));

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            // 3 approved pages, 1 pending, 1 denied, and the two refused requests sent again.
            assertThat(f.stub.count(r -> r.contains("/registrants?"))).isEqualTo(7);
            assertThat(events("event_registered")).isEqualTo(25);
        }
    }

    @Test
    void aDailyLimitWithAnIsoRetryAfterEndsTheRunPartialAndItsContinuationRunsAfterTheReset() {
        try (ZoomFixture f = new ZoomFixture(10)) {
            f.webinar(WEBINAR, 25);
            f.stub.fault(dailyLimit(Map.of("Retry-After", "2026-06-16T00:00:00Z")));

            SyncRun limited = f.sync();
            long sent = f.stub.count(r -> r.contains("next_page_token="));

            assertThat(limited.status()).isEqualTo(SyncStatus.PARTIAL);
            assertThat(limited.errorMessage()).contains("2026-06-16T00:00:00Z");
            assertThat(sent).as("a daily limit is not retried").isEqualTo(1);
            assertThat(events("event_registered")).isEqualTo(10);
            SyncRun waiting = f.runs().running("zoom").orElseThrow();
            assertThat(waiting.continuesRunId()).isEqualTo(limited.id());
            assertThat(waiting.notBefore()).isEqualTo(RESET);
            assertThat(f.bus().held()).singleElement().satisfies(e -> {
                assertThat(e.runId()).isEqualTo(waiting.id());
                assertThat(e.notBefore()).isEqualTo(RESET);
            });

            // Before the reset: a request (even past the stale limit) answers the waiting run and sends nothing.
            f.stub.clearRequests();
            TestClock.INSTANCE.set(Instant.parse("2026-06-15T23:59:00Z"));
            SyncDispatch.Requested early = f.dispatch().request("zoom", SyncTrigger.MANUAL);
            assertThat(early.started()).isFalse();
            assertThat(early.runId()).isEqualTo(waiting.id());
            assertThat(early.notBefore()).isEqualTo(RESET);
            assertThat(f.bus().deliverDue()).isZero();
            ZoomFixture.await(f.bus());
            assertThat(f.stub.requests()).isEmpty();
            assertThat(f.runs().find(waiting.id()).orElseThrow().status()).isEqualTo(SyncStatus.RUNNING);

            // After midnight UTC the held continuation is delivered and carries on from the checkpoint.
            TestClock.INSTANCE.set(RESET.plusSeconds(1));
            assertThat(f.bus().deliverDue()).isEqualTo(1);
            ZoomFixture.await(f.bus());
            SyncRun next = f.runs().find(waiting.id()).orElseThrow();
            assertThat(next.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(next.cursorBefore()).isEqualTo(limited.cursorAfter());
            assertThat(events("event_registered")).isEqualTo(25);
        }
    }

    @Test
    void theFirstDispatchAfterTheResetHandsAWaitingContinuationOverWhenNoBusHeldIt() {
        try (ZoomFixture f = new ZoomFixture(10)) {
            f.webinar(WEBINAR, 25);
            f.stub.fault(dailyLimit(Map.of("Retry-After", "2026-06-16T00:00:00Z")));
            SyncRun limited = f.sync();
            SyncRun waiting = f.runs().running("zoom").orElseThrow();

            // As in AWS, where EventBridge cannot hold the event: the daily schedule after the reset carries it out.
            TestClock.INSTANCE.set(RESET.plusSeconds(60));
            List<SyncDispatch.Requested> all = f.dispatch().requestAll(SyncTrigger.SCHEDULE);
            ZoomFixture.await(f.bus());

            assertThat(all).filteredOn(r -> r.sourceType().equals("zoom")).singleElement().satisfies(r -> {
                assertThat(r.started()).isTrue();
                assertThat(r.runId()).isEqualTo(waiting.id());
            });
            SyncRun next = f.runs().find(waiting.id()).orElseThrow();
            assertThat(next.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(next.cursorBefore()).isEqualTo(limited.cursorAfter());
            assertThat(events("event_registered")).isEqualTo(25);
            // The held event, due now too, finds its run ended and does nothing more.
            f.stub.clearRequests();
            f.bus().deliverDue();
            ZoomFixture.await(f.bus());
            assertThat(f.stub.requests()).isEmpty();
        }
    }

    @Test
    void aDailyLimitWithoutRetryAfterWaitsForMidnightUtc() {
        try (ZoomFixture f = new ZoomFixture(10)) {
            f.webinar(WEBINAR, 25);
            f.stub.fault(ZoomStub.Fault.on("next_page_token=", 429, 429, "You have reached the maximum daily rate limit for this API.",
                    Map.of("X-RateLimit-Type", "Daily-limit")));

            SyncRun limited = f.sync();

            assertThat(limited.status()).isEqualTo(SyncStatus.PARTIAL);
            assertThat(limited.errorMessage()).contains("2026-06-16T00:00:00Z");
            assertThat(f.runs().running("zoom").orElseThrow().notBefore()).isEqualTo(RESET);
        }
    }

    @Test
    void anExpiredPageTokenRestartsThatListingAndLosesNothing() {
        try (ZoomFixture f = new ZoomFixture(10)) {
            f.webinar(WEBINAR, 25);
            AtomicBoolean expired = new AtomicBoolean();
            f.stub.afterAnswer(r -> {
                if (r.contains("/registrants?status=approved") && expired.compareAndSet(false, true)) {
                    f.stub.expirePageTokens();
                }
            });

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(f.stub.count(r -> r.contains("/registrants?status=approved") && !r.contains("next_page_token")))
                    .isEqualTo(2);
            assertThat(events("event_registered")).isEqualTo(25);
        }
    }

    @Test
    void aDeletedWebinarAndAnUnlicensedUserAreCountedAndNamedAsSkipped() {
        try (ZoomFixture f = new ZoomFixture(10)) {
            f.webinar(WEBINAR, 3);
            f.stub.addWebinar("host-1", "81000000002", "Gone");
            f.stub.delete("81000000002");
            f.stub.unlicensed("basic-user");

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().failed()).isEqualTo(2);
            assertThat(run.failedRecords()).extracting(r -> r.externalId())
                    .containsExactlyInAnyOrder("webinar:81000000002", "user:basic-user");
            assertThat(run.errorMessage()).contains("2 record(s) skipped");
            assertThat(events("event_registered")).isEqualTo(3);
        }
    }

    @Test
    void pendingAndDeniedRegistrantsAreReadAndALaterDenialIsReflected() {
        try (ZoomFixture f = new ZoomFixture(300)) {
            f.webinar(WEBINAR, 1);
            f.stub.addRegistrant(WEBINAR, "p", "pending@example.com", "pending");
            f.stub.addRegistrant(WEBINAR, "d", "denied@example.com", "denied");

            f.sync();
            assertThat(f.stub.requests()).anyMatch(r -> r.contains("status=pending") && r.contains("page_size=300"));
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE source_type = 'zoom' AND event_data->>'status' = 'pending'"))
                    .isEqualTo(1);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE source_type = 'zoom' AND event_data->>'status' = 'denied'"))
                    .isEqualTo(1);

            f.stub.registrant(WEBINAR, "p").put("status", "denied");
            SyncRun again = f.sync();

            assertThat(again.counts().updated()).isEqualTo(1);
            assertThat(Rows.row("SELECT event_data->>'status' AS status FROM funnel_events WHERE source_type = 'zoom'"
                    + " AND external_id = ?", WEBINAR + ":p").get("status")).isEqualTo("denied");
        }
    }

    @Test
    void everyRunOfARecurringWebinarIsReadOnceWithRejoinsMergedAndJoinedByRegistrantOrEmail() {
        try (ZoomFixture f = new ZoomFixture(300)) {
            f.webinar(WEBINAR, 3);
            f.stub.addRun(WEBINAR, "/slash//run==", "2026-05-01T10:00:00Z");
            f.stub.addRun(WEBINAR, "second-run==", "2026-05-08T10:00:00Z");
            f.stub.addRun(WEBINAR, "third-run==", "2026-05-15T10:00:00Z");
            // Registrant 1 joins twice (a rejoin); registrant 2 without a registrant id, found by email;
            // a walk-in with an email becomes a lead of its own.
            f.stub.addParticipant("/slash//run==", "1", "person1@example.com", 600);
            f.stub.addParticipant("/slash//run==", "1", "", 900);
            f.stub.addParticipant("/slash//run==", null, "Person2@Example.com", 300);
            f.stub.addParticipant("/slash//run==", null, "walkin@example.com", 60);
            f.stub.addParticipant("second-run==", "1", "person1@example.com", 1200);
            f.stub.addParticipant("third-run==", "3", "person3@example.com", 1200);

            SyncRun first = f.sync();

            assertThat(first.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(events("event_attended")).isEqualTo(5);
            assertThat(f.stub.requests()).anyMatch(r -> r.contains("/report/webinars/%252Fslash%252F%252Frun%253D%253D/participants")
                    && r.contains("include_fields=registrant_id"));
            Map<String, Object> rejoined = Rows.row("SELECT event_data->>'duration_seconds' AS seconds, event_data->>'sessions' AS sessions"
                    + " FROM funnel_events WHERE event_type = 'event_attended' AND external_id = ?", WEBINAR + ":/slash//run==:1");
            assertThat(rejoined).containsEntry("seconds", "1500").containsEntry("sessions", "2");
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'event_attended'"
                    + " AND external_id = ?", WEBINAR + ":/slash//run==:2")).isEqualTo(1);

            f.stub.clearRequests();
            SyncRun again = f.sync();

            assertThat(again.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(f.stub.count(r -> r.contains("/report/"))).as("ended runs are read once").isZero();
            assertThat(f.stub.count(r -> r.contains("/instances"))).isEqualTo(1);
        }
    }

    @Test
    void aRegistrantWhoCameByATrackingSourceCarriesItsUtmAndOthersNone() {
        try (ZoomFixture f = new ZoomFixture(300)) {
            f.webinar(WEBINAR, 3);
            f.stub.addRegistrant(WEBINAR, "p", "pending@example.com", "pending");
            f.stub.addTrackingSource(WEBINAR, "src-li", "LinkedIn",
                    "https://example.zoom.us/webinar/register/WN_abc?tk=xyz&utm_medium=social&utm_campaign=spring");
            f.stub.addTrackingSource(WEBINAR, "src-nl", "Newsletter", "https://example.zoom.us/webinar/register/WN_abc?tk=nl");
            f.stub.addTrackingSource(WEBINAR, "src-unused", "Twitter", "https://example.zoom.us/webinar/register/WN_abc?tk=tw");
            f.stub.cameBy("1", WEBINAR, "src-li");
            f.stub.cameBy("p", WEBINAR, "src-li");
            f.stub.cameBy("2", WEBINAR, "src-nl");

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(utm("1")).containsEntry("utm_source", "LinkedIn").containsEntry("utm_medium", "social")
                    .containsEntry("utm_campaign", "spring");
            assertThat(utm("p")).containsEntry("utm_source", "LinkedIn");
            assertThat(utm("2")).containsEntry("utm_source", "Newsletter").containsEntry("utm_medium", null);
            assertThat(utm("3")).containsEntry("utm_source", null);
            assertThat(Rows.row("SELECT first_touch_utm_source AS s FROM leads WHERE email = 'person1@example.com'").get("s"))
                    .isEqualTo("LinkedIn");
            // One listing of the sources; a source with no registrations is not listed; a source's statuses stop
            // once its registration count is found (newsletter: approved only).
            assertThat(f.stub.count(r -> r.contains("/tracking_sources"))).isEqualTo(1);
            assertThat(f.stub.count(r -> r.contains("tracking_source_id=src-unused"))).isZero();
            assertThat(f.stub.count(r -> r.contains("tracking_source_id=src-nl"))).isEqualTo(1);
            assertThat(f.stub.count(r -> r.contains("tracking_source_id=src-li"))).isEqualTo(2);

            f.stub.clearRequests();
            SyncRun again = f.sync();
            assertThat(again.counts().updated()).as("a re-read changes nothing").isZero();
        }
    }

    private static Map<String, Object> utm(String registrant) {
        return Rows.row("SELECT utm_source, utm_medium, utm_campaign FROM funnel_events WHERE source_type = 'zoom'"
                + " AND event_type = 'event_registered' AND external_id = ?", WEBINAR + ":" + registrant);
    }

    private static ZoomStub.Fault dailyLimit(Map<String, String> extra) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("X-RateLimit-Category", "Medium",
                "X-RateLimit-Type", "Daily-limit", "X-RateLimit-Limit", "2000", "X-RateLimit-Remaining", "0"));
        headers.putAll(extra);
        return ZoomStub.Fault.on("next_page_token=", 429, 429, "You have reached the maximum daily rate limit for this API.",
                headers);
    }
}
