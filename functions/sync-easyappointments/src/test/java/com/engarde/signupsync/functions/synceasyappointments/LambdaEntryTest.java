package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.engarde.signupsync.bus.LambdaHandler;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The function's Lambda handler as the runtime calls it: raw JSON in, raw JSON out, for both the API Gateway
 * route and the EventBridge SyncRequested event (sample events from events/).
 */
@ExpectsWarnings("could not sync a single page within the invocation's time budget")
class LambdaEntryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode invoke(LambdaHandler handler, JsonNode event, Context context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, context);
        return JSON.readTree(out.toByteArray());
    }

    private static ObjectNode sample(String folder, String name) throws IOException {
        return (ObjectNode) JSON.readTree(Files.readString(LambdaHarness.eventsDir().resolve(folder).resolve(name)));
    }

    @Test
    void postAnswers202WithTheRunAndTheBusCarriesItOut() throws IOException {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            LambdaHandler handler = new LambdaHandler(f.lambda.context());

            JsonNode response = invoke(handler, sample("apigateway", "sync-easyappointments.json"), null);

            assertThat(response.path("statusCode").asInt()).isEqualTo(202);
            assertThat(response.path("headers").path("Location").asText()).isEqualTo("/sync/status/easyappointments");
            JsonNode body = JSON.readTree(response.path("body").asText());
            assertThat(body.path("source_type").asText()).isEqualTo("easyappointments");
            assertThat(body.path("started").asBoolean()).isTrue();
            assertThat(body.path("status_url").asText()).isEqualTo("/sync/status/easyappointments");
            long runId = body.path("run_id").asLong();
            SyncFixture.await(f.bus());
            SyncRun run = f.runs().find(runId).orElseThrow();
            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.trigger()).isEqualTo(SyncTrigger.MANUAL);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'appointment_booked'")).isEqualTo(25);
        }
    }

    @Test
    void postWhileARunIsGoingAnswersThatRun() throws IOException {
        try (SyncFixture f = new SyncFixture()) {
            long running = f.runs().start("easyappointments", SyncTrigger.SCHEDULE).run().id();

            JsonNode response = invoke(new LambdaHandler(f.lambda.context()), sample("apigateway", "sync-easyappointments.json"), null);

            assertThat(response.path("statusCode").asInt()).isEqualTo(202);
            JsonNode body = JSON.readTree(response.path("body").asText());
            assertThat(body.path("run_id").asLong()).isEqualTo(running);
            assertThat(body.path("started").asBoolean()).isFalse();
            assertThat(body.path("status").asText()).isEqualTo("running");
            assertThat(Rows.count("funnel_sync_logs")).isEqualTo(1);
        }
    }

    @Test
    void postWithoutTheServiceTokenIsRefused() throws IOException {
        try (SyncFixture f = new SyncFixture()) {
            ObjectNode event = sample("apigateway", "sync-easyappointments.json");
            ((ObjectNode) event.get("headers")).remove("Authorization");
            ((ObjectNode) event.get("multiValueHeaders")).remove("Authorization");

            JsonNode response = invoke(new LambdaHandler(f.lambda.context()), event, null);

            assertThat(response.path("statusCode").asInt()).isEqualTo(401);
            assertThat(JSON.readTree(response.path("body").asText()).path("error").asText()).isEqualTo("unauthorized");
            assertThat(Rows.count("funnel_sync_logs")).isZero();
        }
    }

    @Test
    void aSyncRequestedEventFromTheBusIsCarriedOutInTheInvocation() throws IOException {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(12);

            JsonNode answer = invoke(new LambdaHandler(f.lambda.context()),
                    sample("eventbridge", "sync-requested-easyappointments.json"), null);

            assertThat(answer.path("handled").asText()).isEqualTo("SyncRequested");
            List<SyncRun> runs = f.runs().history("easyappointments");
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).trigger()).isEqualTo(SyncTrigger.SCHEDULE);
            assertThat(runs.get(0).status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(runs.get(0).counts().created()).isEqualTo(12);
        }
    }

    @Test
    void aRepeatedEventForARunThatEndedDoesNothing() throws IOException {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(5);
            long runId = f.sync().id();
            f.stub.clearRequests();
            ObjectNode event = sample("eventbridge", "sync-requested-easyappointments.json");
            ((ObjectNode) event.get("detail")).put("run_id", runId).put("trigger", "manual");

            invoke(new LambdaHandler(f.lambda.context()), event, null);

            assertThat(f.stub.requests()).isEmpty();
            assertThat(f.runs().history("easyappointments")).hasSize(1);
        }
    }

    @Test
    void theLambdaDeadlineLessTheReserveIsTheRunsBudget() throws IOException {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(5);
            // Twenty seconds left in the invocation, 45 s kept in reserve: no time for a page.
            JsonNode answer = invoke(new LambdaHandler(f.lambda.context()),
                    sample("eventbridge", "sync-requested-easyappointments.json"), new RemainingTime(20_000));

            assertThat(answer.path("handled").asText()).isEqualTo("SyncRequested");
            SyncRun run = f.runs().history("easyappointments").get(0);
            assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(run.errorMessage()).contains("time budget");
        }
    }

    @Test
    void anEventForAnotherSourceFailsTheInvocation() throws IOException {
        try (SyncFixture f = new SyncFixture()) {
            ObjectNode event = sample("eventbridge", "sync-requested-easyappointments.json");
            ((ObjectNode) event.get("detail")).put("source_type", "zoom");
            LambdaHandler handler = new LambdaHandler(f.lambda.context());

            assertThatThrownBy(() -> invoke(handler, event, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not sync zoom");
            assertThat(Rows.count("funnel_sync_logs")).isZero();
        }
    }

    /** A Lambda context that only knows how much time is left. */
    private record RemainingTime(int millis) implements Context {
        public String getAwsRequestId() { return "test-request"; }
        public String getLogGroupName() { return "test"; }
        public String getLogStreamName() { return "test"; }
        public String getFunctionName() { return "sync-easyappointments"; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:111122223333:function:sync-easyappointments"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return millis; }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() { return null; }
    }
}
