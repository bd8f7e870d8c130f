package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.SyncCounts;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.testing.FakeDestination;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /sync/status/{source_type} through the real Lambda handler. */
@ExpectsWarnings("record\\(s\\) of batch \\d+ failed")
class SyncStatusTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");

    @BeforeEach
    void clean() {
        TestDatabase.get().truncate();
        TestClock.INSTANCE.set(NOW);
    }

    private static LambdaHarness lambda(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(Map.of("test.clock", "mutable"));
        properties.putAll(extra);
        return new LambdaHarness(properties);
    }

    @Test
    void reportsTheLastRunTheRunningRunTheLastSuccessAndTheNextScheduledTime() throws Exception {
        try (LambdaHarness lambda = lambda(Map.of("funnel.sync.time", "18:30"))) {
            SyncRunLog runs = lambda.context().getBean(SyncRunLog.class);
            String owner = "invocation-status-test";
            long succeeded = runs.start("easyappointments", SyncTrigger.SCHEDULE).run().id();
            runs.claim(succeeded, owner);
            try (Connection c = TestDatabase.get().dataSource().getConnection()) {
                runs.progress(c, succeeded, owner, new SyncCounts(30, 20, 5, 4, 1),
                        JsonNodeFactory.instance.objectNode().put("page", 4), List.of(), 4);
            }
            runs.finish(succeeded, owner, SyncStatus.SUCCEEDED, null, 3);
            TestClock.INSTANCE.advance(Duration.ofHours(1));
            long failed = runs.start("easyappointments", SyncTrigger.MANUAL).run().id();
            runs.claim(failed, owner);
            runs.finish(failed, owner, SyncStatus.FAILED, "EasyAppointments answered 401 to GET /index.php/api/v1/services", 1);
            TestClock.INSTANCE.advance(Duration.ofHours(1));
            long running = runs.start("easyappointments", SyncTrigger.MANUAL).run().id();

            Response r = lambda.handle(LambdaHarness.sample("sync-status.json"));

            assertThat(r.status()).isEqualTo(200);
            JsonNode body = r.json();
            assertThat(body.path("source_type").asText()).isEqualTo("easyappointments");
            assertThat(body.path("last_run").path("id").asLong()).isEqualTo(failed);
            assertThat(body.path("last_run").path("status").asText()).isEqualTo("failed");
            assertThat(body.path("last_run").path("error_message").asText()).startsWith("EasyAppointments answered 401");
            assertThat(body.path("running").path("id").asLong()).isEqualTo(running);
            assertThat(body.path("running").path("trigger").asText()).isEqualTo("manual");
            assertThat(body.path("last_success").path("id").asLong()).isEqualTo(succeeded);
            assertThat(body.path("last_success").path("counts").path("created").asInt()).isEqualTo(20);
            // Requests sent to the vendor: counted at each checkpoint and at the end.
            assertThat(body.path("last_success").path("requests").asInt()).isEqualTo(7);
            assertThat(body.path("last_success").path("cursor_after").path("page").asInt()).isEqualTo(4);
            assertThat(body.path("counts").path("fetched").asInt()).isZero();
            assertThat(body.path("next_scheduled_at").asText()).isEqualTo("2026-06-15T18:30:00Z");
            assertThat(body.path("schedule").path("time_utc").asText()).isEqualTo("18:30");
        }
    }

    @Test
    void aDestinationsRunIsReportedLikeASourcesRun() {
        FakeDestination destination = new FakeDestination("fake_destination", 10).register();
        try (LambdaHarness lambda = lambda(Map.of("funnel.sync.time", "18:30"))) {
            destination.records(23);
            destination.refuse(5);
            SyncRunLog runs = lambda.context().getBean(SyncRunLog.class);
            long runId = runs.start("fake_destination", SyncTrigger.MANUAL).run().id();
            lambda.context().getBean(SyncEngine.class).execute(runId, destination, TimeBudget.unlimited()).orElseThrow();

            Response r = lambda.handle(LambdaHarness.request("GET", "/sync/status/fake_destination", null));

            assertThat(r.status()).isEqualTo(200);
            JsonNode body = r.json();
            assertThat(body.path("source_type").asText()).isEqualTo("fake_destination");
            assertThat(body.path("kind").asText()).isEqualTo("destination");
            assertThat(body.path("last_run").path("id").asLong()).isEqualTo(runId);
            assertThat(body.path("last_run").path("status").asText()).isEqualTo("succeeded");
            assertThat(body.path("last_success").path("id").asLong()).isEqualTo(runId);
            assertThat(body.path("counts").path("fetched").asInt()).isEqualTo(23);
            assertThat(body.path("counts").path("created").asInt()).isEqualTo(22);
            assertThat(body.path("counts").path("failed").asInt()).isEqualTo(1);
            assertThat(body.path("last_run").path("failed_records").path(0).path("external_id").asText()).isEqualTo("5");
            assertThat(body.path("last_run").path("requests").asInt()).isEqualTo(destination.requests()).isEqualTo(3);
            assertThat(body.path("last_run").path("cursor_after").path("after").asInt()).isEqualTo(23);
            // The daily schedule dispatches pull sources: a destination runs when asked, so no next time is shown.
            assertThat(body.has("next_scheduled_at")).isFalse();
        } finally {
            destination.unregister();
        }
    }

    @Test
    void afterTodaysTimeTheNextRunIsTomorrowAndASourceNeverSyncedHasNoRuns() {
        try (LambdaHarness lambda = lambda(Map.of("funnel.sync.time", "06:00"))) {
            Response r = lambda.handle(LambdaHarness.sample("sync-status.json"));

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("next_scheduled_at").asText()).isEqualTo("2026-06-16T06:00:00Z");
            assertThat(r.json().has("last_run")).isFalse();
            assertThat(r.json().path("counts").path("fetched").asInt()).isZero();
        }
    }

    @Test
    void withTheScheduleOffThereIsNoNextTime() {
        try (LambdaHarness lambda = lambda(Map.of("funnel.sync.enabled", "false"))) {
            Response r = lambda.handle(LambdaHarness.sample("sync-status.json"));

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().has("next_scheduled_at")).isFalse();
            assertThat(r.json().path("schedule").path("enabled").asBoolean()).isFalse();
        }
    }

    @Test
    void anUnknownSourceTypeIs404InTheOneErrorShape() {
        try (LambdaHarness lambda = lambda(Map.of())) {
            Response r = lambda.handle(LambdaHarness.request("GET", "/sync/status/myspace", null));

            assertThat(r.status()).isEqualTo(404);
            assertThat(r.json().path("error").asText()).isEqualTo("not_found");
            assertThat(r.json().path("field").asText()).isEqualTo("source_type");
            assertThat(r.json().path("message").asText()).isEqualTo("unknown source type 'myspace'");
        }
    }

    @Test
    void theStatusNeedsTheServiceToken() {
        try (LambdaHarness lambda = lambda(Map.of())) {
            var request = LambdaHarness.request("GET", "/sync/status/easyappointments", null);
            request.getHeaders().remove("Authorization");

            assertThat(lambda.handle(request).status()).isEqualTo(401);
            assertThat(List.of(lambda.handle(LambdaHarness.request("GET", "/sync/status/poshvip", null)).status()))
                    .containsExactly(200);
        }
    }
}
