package com.engarde.signupsync.functions.syncdispatch;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.bus.LambdaHandler;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.testing.EventBridgeStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /sync/all and the daily schedule, putting SyncRequested events on EventBridge (a local stub) or in-process. */
@ExpectsWarnings("no sync function for '\\w+' runs in this process")
class SyncDispatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void throwawayAwsCredentials() {
        // The SDK signs requests even to a stub; these are not credentials for anything.
        System.setProperty("aws.accessKeyId", "test-access-key-not-a-secret");
        System.setProperty("aws.secretAccessKey", "test-secret-key-not-a-secret");
    }

    /** Zoom and Eventbrite are inactive until their connectors land (V4); these tests dispatch to three sources. */
    private static final String ZOOM_AND_EVENTBRITE = "UPDATE funnel_sources SET active = %s WHERE source_type IN ('zoom', 'eventbrite')";

    @BeforeEach
    void clean() {
        TestDatabase.get().truncate();
        TestDatabase.get().execute(ZOOM_AND_EVENTBRITE.formatted("true"));
    }

    @AfterEach
    void restore() {
        TestDatabase.get().execute(ZOOM_AND_EVENTBRITE.formatted("false"));
    }

    @Test
    void onlySourcesTheMigrationsMakeActiveAreDispatched() {
        restore();
        try (EventBridgeStub bus = new EventBridgeStub(); LambdaHarness lambda = withEventBridge(bus)) {
            JsonNode runs = lambda.handle(LambdaHarness.sample("sync-all.json")).json().path("runs");

            assertThat(runs.findValuesAsText("source_type")).containsExactly("easyappointments");
            assertThat(bus.entries()).hasSize(1);
            assertThat(Rows.number("SELECT count(*) FROM funnel_sources WHERE source_type IN ('zoom', 'eventbrite')"
                    + " AND NOT active")).isEqualTo(2);
        }
    }

    private static LambdaHarness withEventBridge(EventBridgeStub stub) {
        return new LambdaHarness(Map.of("signup.sync.event.bus.name", "signup-sync", "signup.sync.bus.endpoint", stub.endpoint(),
                "signup.sync.bus.region", "eu-west-1", "signup.sync.http.base-delay", "10ms"));
    }

    @Test
    void syncAllPutsOneSyncRequestedPerActivePullSourceOnTheBus() {
        try (EventBridgeStub bus = new EventBridgeStub(); LambdaHarness lambda = withEventBridge(bus)) {
            LambdaHarness.Response response = lambda.handle(LambdaHarness.sample("sync-all.json"));

            assertThat(response.status()).isEqualTo(202);
            JsonNode runs = response.json().path("runs");
            assertThat(runs).hasSize(3);
            assertThat(runs.findValuesAsText("source_type")).containsExactly("easyappointments", "eventbrite", "zoom");
            assertThat(runs.findValues("started")).allMatch(JsonNode::asBoolean);
            assertThat(bus.calls()).hasSize(1);
            List<JsonNode> entries = bus.entries();
            assertThat(entries).hasSize(3);
            for (int i = 0; i < 3; i++) {
                JsonNode entry = entries.get(i);
                assertThat(entry.path("Source").asText()).isEqualTo("signup-sync");
                assertThat(entry.path("DetailType").asText()).isEqualTo("SyncRequested");
                assertThat(entry.path("EventBusName").asText()).isEqualTo("signup-sync");
                JsonNode detail = read(entry.path("Detail").asText());
                assertThat(detail.path("source_type").asText()).isEqualTo(runs.get(i).path("source_type").asText());
                assertThat(detail.path("trigger").asText()).isEqualTo("manual");
                assertThat(detail.path("run_id").asLong()).isEqualTo(runs.get(i).path("run_id").asLong());
            }
        }
    }

    @Test
    void aSecondRequestJoinsTheRunsStillGoingAndPutsNothingNew() {
        try (EventBridgeStub bus = new EventBridgeStub(); LambdaHarness lambda = withEventBridge(bus)) {
            JsonNode first = lambda.handle(LambdaHarness.sample("sync-all.json")).json();
            JsonNode second = lambda.handle(LambdaHarness.sample("sync-all.json")).json();

            assertThat(second.path("runs").findValues("started")).noneMatch(JsonNode::asBoolean);
            assertThat(second.path("runs").findValuesAsText("run_id")).isEqualTo(first.path("runs").findValuesAsText("run_id"));
            assertThat(bus.entries()).hasSize(3);
            assertThat(Rows.count("funnel_sync_logs")).isEqualTo(3);
        }
    }

    @Test
    void entriesEventBridgeRejectsArePutAgain() {
        try (EventBridgeStub bus = new EventBridgeStub(); LambdaHarness lambda = withEventBridge(bus)) {
            bus.rejectOnce(1);

            assertThat(lambda.handle(LambdaHarness.sample("sync-all.json")).status()).isEqualTo(202);

            assertThat(bus.calls()).hasSize(2);
            assertThat(bus.calls().get(1).path("Entries")).hasSize(1);
            assertThat(read(bus.calls().get(1).path("Entries").get(0).path("Detail").asText()).path("source_type").asText())
                    .isEqualTo("eventbrite");
        }
    }

    @Test
    void whenTheBusKeepsRefusingTheRunsAreEndedAndTheAnswerIs503() {
        try (EventBridgeStub bus = new EventBridgeStub(); LambdaHarness lambda = withEventBridge(bus)) {
            bus.refuseAll();

            LambdaHarness.Response response = lambda.handle(LambdaHarness.sample("sync-all.json"));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.json().path("error").asText()).isEqualTo("bus_unavailable");
            assertThat(bus.calls()).hasSize(4);
            assertThat(Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE status = 'failed'"
                    + " AND error_message = 'could not be handed to the event bus'")).isEqualTo(3);
        }
    }

    @Test
    void inactiveSourcesAreNotSynced() {
        try (EventBridgeStub bus = new EventBridgeStub(); LambdaHarness lambda = withEventBridge(bus)) {
            TestDatabase.get().execute("UPDATE funnel_sources SET active = false WHERE source_type = 'zoom'");
            JsonNode runs = lambda.handle(LambdaHarness.sample("sync-all.json")).json().path("runs");

            assertThat(runs.findValuesAsText("source_type")).containsExactly("easyappointments", "eventbrite");
            assertThat(bus.entries()).hasSize(2);
        }
    }

    @Test
    void theDailyScheduleStartsRunsWithTheScheduleTrigger() throws IOException {
        try (EventBridgeStub bus = new EventBridgeStub(); LambdaHarness lambda = withEventBridge(bus)) {
            LambdaHandler handler = new LambdaHandler(lambda.context());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(LambdaHarness.eventsDir().resolve("eventbridge/scheduled-event.json"))) {
                handler.handleRequest(in, out, null);
            }

            assertThat(read(out.toString()).path("handled").asText()).isEqualTo("Scheduled Event");
            List<SyncRun> runs = List.of("easyappointments", "eventbrite", "zoom").stream()
                    .map(s -> lambda.context().getBean(SyncRunLog.class).running(s).orElseThrow()).toList();
            assertThat(runs).allMatch(r -> r.trigger() == SyncTrigger.SCHEDULE);
            assertThat(bus.entries()).extracting(e -> read(e.path("Detail").asText()).path("trigger").asText())
                    .containsOnly("schedule");
        }
    }

    @Test
    void inProcessARunNoSyncFunctionHereCanCarryOutIsEndedAtOnce() throws InterruptedException {
        try (LambdaHarness lambda = new LambdaHarness()) {
            JsonNode runs = lambda.handle(LambdaHarness.sample("sync-all.json")).json().path("runs");
            assertThat(lambda.context().getBean(InProcessBus.class).awaitIdle(Duration.ofSeconds(10))).isTrue();

            assertThat(runs).hasSize(3);
            for (JsonNode run : runs) {
                SyncRun stored = lambda.context().getBean(SyncRunLog.class).find(run.path("run_id").asLong()).orElseThrow();
                assertThat(stored.status()).isEqualTo(SyncStatus.FAILED);
                assertThat(stored.errorMessage()).isEqualTo("no sync function for " + stored.sourceType() + " is deployed here");
            }
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }
}
