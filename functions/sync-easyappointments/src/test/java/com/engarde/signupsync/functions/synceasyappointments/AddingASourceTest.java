package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.manifest.RouteAuth;
import com.engarde.signupsync.bus.LambdaHandler;
import com.engarde.signupsync.bus.SyncRequested;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.manifest.SyncBus;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new source is a manifest (test resources: sync-fake/function.json) and a connector bean
 * ({@link FakeConnectorFactory}); nothing of the engine, the CDK app or the local run names it. It gets its
 * route with its auth, its bus handler, and runs that work, through the API and through the bus.
 */
class AddingASourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void deactivate() {
        TestDatabase.get().execute("UPDATE funnel_sources SET active = false WHERE source_type = 'eventbrite'");
    }

    @Test
    void aSourceAddedByAManifestAndAConnectorSyncsThroughTheApiAndTheBus() throws Exception {
        // The new source's credentials, as its environment would hold them: a sync without any is refused up front.
        try (SyncFixture f = new SyncFixture(Map.of("test.fake-source", "true", "eventbrite.oauth.token", "test-fake-token"))) {
            // After the fixture's truncate, which puts every source back as migrated (Eventbrite inactive).
            TestDatabase.get().execute("UPDATE funnel_sources SET active = true WHERE source_type = 'eventbrite'");
            FunctionManifests manifests = f.lambda.context().getBean(FunctionManifests.class);
            assertThat(manifests.authFor("POST", "/sync/eventbrite")).isEqualTo(RouteAuth.SERVICE_TOKEN);
            assertThat(manifests.busSources()).contains("eventbrite");

            // Through the API: 202 with the run, carried out over the (in-process) bus.
            LambdaHarness.Response accepted = f.lambda.handle(LambdaHarness.request("POST", "/sync/eventbrite", null));
            assertThat(accepted.status()).isEqualTo(202);
            long runId = accepted.json().path("run_id").asLong();
            SyncFixture.await(f.bus());
            SyncRun run = f.runs().find(runId).orElseThrow();
            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().created()).isEqualTo(FakeConnectorFactory.ITEMS);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE source_type = 'eventbrite'"))
                    .isEqualTo(FakeConnectorFactory.ITEMS);

            // Through the bus as EventBridge delivers it to the function's Lambda handler.
            ObjectNode event = JSON.createObjectNode().put("detail-type", SyncBus.SYNC_REQUESTED)
                    .put("source", SyncBus.SOURCE).put("id", "event-1");
            event.set("detail", new SyncRequested("eventbrite", SyncTrigger.SCHEDULE, null).detail());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new LambdaHandler(f.lambda.context()).handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);

            JsonNode answer = JSON.readTree(out.toByteArray());
            assertThat(answer.path("source_type").asText()).isEqualTo("eventbrite");
            SyncRun scheduled = f.runs().latest("eventbrite").orElseThrow();
            assertThat(scheduled.trigger()).isEqualTo(SyncTrigger.SCHEDULE);
            assertThat(scheduled.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(scheduled.counts().unchanged()).isEqualTo(FakeConnectorFactory.ITEMS);

            // Without the service token the new route answers 401 like every other.
            var anonymous = LambdaHarness.request("POST", "/sync/eventbrite", null);
            anonymous.getHeaders().remove("Authorization");
            assertThat(f.lambda.handle(anonymous).status()).isEqualTo(401);
        }
    }
}
