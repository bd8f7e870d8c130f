package com.engarde.signupsync.functions.synczoom;

import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.ZoomStub;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Zoom's own behaviour against its stub: tokens, rate limits, page tokens, skipped webinars and users, statuses, runs. */
class ZoomSyncTest {

    private static final String WEBINAR = "81000000001";

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
    void aDailyLimitWithAnIsoRetryAfterEndsTheRunPartialAndTheNextRunCarriesOn() {
        try (ZoomFixture f = new ZoomFixture(10)) {
            f.webinar(WEBINAR, 25);
            f.stub.fault(ZoomStub.Fault.on("next_page_token=", 429, 429, "You have reached the maximum daily rate limit for this API.",
                    Map.of("X-RateLimit-Category", "Medium", "X-RateLimit-Type", "Daily-limit", "X-RateLimit-Limit", "2000",
                            "X-RateLimit-Remaining", "0", "Retry-After", "2026-06-16T00:00:00Z")));

            SyncRun limited = f.sync();
            long sent = f.stub.count(r -> r.contains("next_page_token="));

            assertThat(limited.status()).isEqualTo(SyncStatus.PARTIAL);
            assertThat(limited.errorMessage()).contains("2026-06-16T00:00:00Z");
            assertThat(sent).as("a daily limit is not retried").isEqualTo(1);
            assertThat(events("event_registered")).isEqualTo(10);

            SyncRun next = f.sync();
            assertThat(next.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(next.cursorBefore()).isEqualTo(limited.cursorAfter());
            assertThat(events("event_registered")).isEqualTo(25);
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
}
