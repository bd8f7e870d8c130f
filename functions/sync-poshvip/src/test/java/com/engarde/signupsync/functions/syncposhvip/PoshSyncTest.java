package com.engarde.signupsync.functions.syncposhvip;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.sources.poshvip.PoshWebhookReceiver;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.sync.SyncStatusReport;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.webhooks.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Posh.VIP's sync replays stored deliveries on the bus, as every source's sync runs; its routes list them. All through the Lambda handler. */
@ExpectsWarnings({"Posh\\.VIP delivery \\d+ failed", "the database refused page", "record\\(s\\) of page \\d+ failed"})
class PoshSyncTest {

    private static final String SECRET = "test-posh-secret-not-a-secret";
    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(Map.of("poshvip.webhook.secret", SECRET));

    @Test
    void aSyncRequestedEventFromTheBusReplaysFailedDeliveries() throws IOException {
        PoshWebhookReceiver.Receipt receipt = failedNewOrder();

        byte[] event = Files.readAllBytes(LambdaHarness.eventsDir().resolve("eventbridge/sync-requested-poshvip.json"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new com.engarde.signupsync.bus.LambdaHandler(lambda.harness().context())
                .handleRequest(new java.io.ByteArrayInputStream(event), out, null);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("SyncRequested");
        assertThat(status(receipt.deliveryId())).isEqualTo("processed");
        assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'ticket_purchased'")).isEqualTo(1);
        assertThat(Rows.row("SELECT trigger, status FROM funnel_sync_logs WHERE source_type = 'poshvip'"))
                .containsEntry("trigger", "manual").containsEntry("status", "succeeded");
    }

    @Test
    void aFailedDeliveryIsReplayedOnceItsCauseIsFixed() {
        PoshWebhookReceiver.Receipt receipt = failedNewOrder();
        assertThat(receipt.reason()).contains("cannot be stored").doesNotContain("SQLSTATE").doesNotContain("23514");
        assertThat(Rows.number("SELECT count(*) FROM funnel_events")).isZero();

        LambdaHarness.Response sync = lambda.handle(request("POST", "/sync/poshvip"));

        // Answered at once, as every source's sync: the run is carried out on the bus, followed at its status URL.
        assertThat(sync.status()).as(sync.body()).isEqualTo(202);
        assertThat(sync.headers()).containsEntry("Location", "/sync/status/poshvip");
        assertThat(sync.json().path("started").asBoolean()).isTrue();
        assertThat(sync.json().path("status_url").asText()).isEqualTo("/sync/status/poshvip");
        long runId = sync.json().path("run_id").asLong();
        awaitBus();
        SyncStatusReport.Report status = lambda.harness().context().getBean(SyncStatusReport.class).report("poshvip");
        SyncRun run = status.lastRun();
        assertThat(run.id()).isEqualTo(runId);
        assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(run.counts().fetched()).isEqualTo(1);
        assertThat(run.counts().created()).isEqualTo(1);
        assertThat(status(receipt.deliveryId())).isEqualTo("processed");
        assertThat(Rows.number("SELECT attempts FROM webhook_deliveries")).isEqualTo(2);
        assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'ticket_purchased'")).isEqualTo(1);
        assertThat(Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE source_type = 'poshvip'"
                + " AND status = 'succeeded' AND created_count = 1 AND trigger = 'manual'")).isEqualTo(1);

        // Nothing is left to replay, and replaying again changes nothing.
        SyncRun again = replay();
        assertThat(again.id()).isNotEqualTo(runId);
        assertThat(again.counts().fetched()).isZero();
        assertThat(Rows.number("SELECT count(*) FROM funnel_events")).isEqualTo(1);
    }

    @Test
    void aDeliveryThatStillFailsStaysFailedAndTheRunSaysSo() {
        PoshWebhookReceiver.Receipt receipt = receive(
                "{\"type\":\"new_order\",\"order_number\":\"9\",\"event_id\":\"e\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(receipt.status()).isEqualTo("failed");

        SyncRun run = replay();

        // The replay covered every delivery due; the one that still fails is a failed record with its reason.
        assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(run.counts().failed()).isEqualTo(1);
        assertThat(run.errorMessage()).contains("1 record(s) skipped");
        assertThat(run.failedRecords().get(0).externalId()).isEqualTo(Long.toString(receipt.deliveryId()));
        assertThat(status(receipt.deliveryId())).isEqualTo("failed");

        // Failed twice now: the next replay leaves it to its backoff instead of running it again at once.
        SyncRun next = replay();
        assertThat(next.counts().fetched()).isZero();
        assertThat(Rows.number("SELECT attempts FROM webhook_deliveries WHERE id = ?", receipt.deliveryId())).isEqualTo(2);
    }

    @Test
    void aReplayedDeliveryTheDatabaseRefusesFailsAloneAndItsStatusCommitsWithThePage() throws IOException {
        ObjectNode order = (ObjectNode) new ObjectMapper().readTree(sample("new_order.json"));
        TestDatabase.get().execute("ALTER TABLE funnel_events ADD CONSTRAINT refuse_poshvip"
                + " CHECK (source_type <> 'poshvip') NOT VALID");
        PoshWebhookReceiver.Receipt kept;
        PoshWebhookReceiver.Receipt refused;
        try {
            kept = receive(order.put("order_number", "7001").toString().getBytes(StandardCharsets.UTF_8));
            refused = receive(order.put("order_number", "7002").toString().getBytes(StandardCharsets.UTF_8));
        } finally {
            TestDatabase.get().execute("ALTER TABLE funnel_events DROP CONSTRAINT refuse_poshvip");
        }
        assertThat(status(kept.deliveryId())).isEqualTo("failed");
        assertThat(status(refused.deliveryId())).isEqualTo("failed");
        // At the replay the database still refuses the second order's events, and only those.
        TestDatabase.get().execute("ALTER TABLE funnel_events ADD CONSTRAINT refuse_7002"
                + " CHECK (source_type <> 'poshvip' OR external_id NOT LIKE '%7002%') NOT VALID");
        SyncRun run;
        try {
            run = replay();
        } finally {
            TestDatabase.get().execute("ALTER TABLE funnel_events DROP CONSTRAINT refuse_7002");
        }

        assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(run.counts().created()).isEqualTo(1);
        assertThat(run.counts().failed()).isEqualTo(1);
        assertThat(run.failedRecords().get(0).externalId()).isEqualTo(Long.toString(refused.deliveryId()));
        assertThat(status(kept.deliveryId())).isEqualTo("processed");
        assertThat(status(refused.deliveryId())).isEqualTo("failed");
        assertThat((String) Rows.row("SELECT reason FROM webhook_deliveries WHERE id = ?", refused.deliveryId())
                .get("reason")).contains("refused by the database");
        // The page's first write, rolled back when the database refused it, settled nothing: one attempt each.
        assertThat(Rows.number("SELECT attempts FROM webhook_deliveries WHERE id = ?", kept.deliveryId())).isEqualTo(2);
        assertThat(Rows.number("SELECT attempts FROM webhook_deliveries WHERE id = ?", refused.deliveryId())).isEqualTo(2);
        assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE external_id LIKE '%7001%'")).isPositive();
        assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE external_id LIKE '%7002%'")).isZero();
    }

    @Test
    void aDeliveryStoredButNeverSettledIsProcessedByTheSync() throws SQLException {
        long id;
        try (Connection c = TestDatabase.get().dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_deliveries"
                     + " (source_type, delivery_key, raw_body, status) VALUES ('poshvip', 'k', ?, 'received') RETURNING id")) {
            insert.setBytes(1, sample("purchase.refunded.json"));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }

        replay();

        assertThat(status(id)).isEqualTo("processed");
        assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'ticket_refunded'")).isEqualTo(1);
    }

    @Test
    void oneDeliveryIsReplayedByIdAndAProcessedOneChangesNothing() {
        PoshWebhookReceiver.Receipt receipt = receive("new_order.json");

        LambdaHarness.Response replay = lambda.handle(
                request("POST", "/sync/poshvip/deliveries/" + receipt.deliveryId() + "/replay"));

        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.json().path("status").asText()).isEqualTo("processed");
        assertThat(replay.json().path("events_created").asInt()).isZero();
        assertThat(replay.json().path("events_existing").asInt()).isEqualTo(1);
        assertThat(Rows.number("SELECT count(*) FROM funnel_events")).isEqualTo(1);

        LambdaHarness.Response missing = lambda.handle(request("POST", "/sync/poshvip/deliveries/999999/replay"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("field").asText()).isEqualTo("delivery_id");
    }

    @Test
    void aSecondSyncWhileOneRunsAnswersTheRunningOne() {
        long running = lambda.harness().context().getBean(SyncRunLog.class).start("poshvip", SyncTrigger.SCHEDULE, null).run().id();

        LambdaHarness.Response sync = lambda.handle(request("POST", "/sync/poshvip"));

        // Joined, not started twice: the running replay is answered, and nothing new goes on the bus.
        assertThat(sync.status()).as(sync.body()).isEqualTo(202);
        assertThat(sync.headers()).containsEntry("Location", "/sync/status/poshvip");
        assertThat(sync.json().path("started").asBoolean()).isFalse();
        assertThat(sync.json().path("run_id").asLong()).isEqualTo(running);
        awaitBus();
        assertThat(Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE source_type = 'poshvip'")).isEqualTo(1);
    }

    @Test
    void deliveriesAreListedByStatusWithoutBodiesAndShownWithTheirBodyById() {
        receive("new_order.json");
        PoshWebhookReceiver.Receipt failed = receive(
                "{\"type\":\"new_order\",\"order_number\":\"9\"}".getBytes(StandardCharsets.UTF_8));
        receive("new_order_request.json");

        LambdaHarness.Response list = lambda.handle(request("GET", "/sync/poshvip/deliveries?status=failed"));

        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json()).hasSize(1);
        JsonNode item = list.json().get(0);
        assertThat(item.path("id").asLong()).isEqualTo(failed.deliveryId());
        assertThat(item.path("status").asText()).isEqualTo("failed");
        assertThat(item.path("reason").asText()).contains("account_email is missing");
        assertThat(item.path("event_type").asText()).isEqualTo("new_order");
        assertThat(item.has("raw_body")).isFalse();
        assertThat(lambda.handle(request("GET", "/sync/poshvip/deliveries")).json()).hasSize(3);
        assertThat(lambda.handle(request("GET", "/sync/poshvip/deliveries?limit=2")).json()).hasSize(2);

        LambdaHarness.Response one = lambda.handle(
                request("GET", "/sync/poshvip/deliveries/" + failed.deliveryId()));
        assertThat(one.json().path("raw_body").asText()).isEqualTo("{\"type\":\"new_order\",\"order_number\":\"9\"}");
        assertThat(one.body()).doesNotContain(SECRET);
    }

    @Test
    void theRoutesNeedTheServiceTokenAndValidParameters() {
        for (String[] route : new String[][] {{"POST", "/sync/poshvip"}, {"GET", "/sync/poshvip/deliveries"},
                {"GET", "/sync/poshvip/deliveries/1"}, {"POST", "/sync/poshvip/deliveries/1/replay"}}) {
            APIGatewayProxyRequestEvent event = LambdaHarness.request(route[0], route[1], null);
            event.getHeaders().remove("Authorization");
            assertThat(lambda.handle(event).status()).as(route[1]).isEqualTo(401);
        }
        LambdaHarness.Response bad = lambda.handle(request("GET", "/sync/poshvip/deliveries?status=lost"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("status");
        assertThat(Rows.number("SELECT count(*) FROM funnel_sync_logs")).isZero();
    }

    /** POST /sync/poshvip as a caller sends it, then the run as the bus leaves it. */
    private static SyncRun replay() {
        LambdaHarness.Response sync = lambda.handle(request("POST", "/sync/poshvip"));
        assertThat(sync.status()).as(sync.body()).isEqualTo(202);
        awaitBus();
        long runId = sync.json().path("run_id").asLong();
        return lambda.harness().context().getBean(SyncRunLog.class).find(runId).orElseThrow();
    }

    private static void awaitBus() {
        try {
            assertThat(lambda.harness().context().getBean(InProcessBus.class).awaitIdle(Duration.ofSeconds(60)))
                    .as("the in-process bus settles").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A request as API Gateway proxies it: the query string apart from the path. */
    private static APIGatewayProxyRequestEvent request(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        APIGatewayProxyRequestEvent event = LambdaHarness.request(method,
                q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), null);
        if (q >= 0) {
            Map<String, String> single = new HashMap<>();
            Map<String, List<String>> multi = new HashMap<>();
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                single.put(kv[0], kv[1]);
                multi.put(kv[0], List.of(kv[1]));
            }
            event.setQueryStringParameters(single);
            event.setMultiValueQueryStringParameters(multi);
        }
        return event;
    }

    private static PoshWebhookReceiver.Receipt receive(String sample) {
        return receive(sample(sample));
    }

    private static PoshWebhookReceiver.Receipt receive(byte[] body) {
        return lambda.harness().context().getBean(PoshWebhookReceiver.class)
                .receive(new WebhookRequest(body, Map.of("Posh-Secret", SECRET)));
    }

    private static byte[] sample(String name) {
        try {
            return Files.readAllBytes(LambdaHarness.eventsDir().resolve("webhooks/poshvip").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new_order that fails: while it is received the database refuses Posh.VIP events, as a faulty migration might. */
    private static PoshWebhookReceiver.Receipt failedNewOrder() {
        TestDatabase.get().execute("ALTER TABLE funnel_events ADD CONSTRAINT refuse_poshvip"
                + " CHECK (source_type <> 'poshvip') NOT VALID");
        PoshWebhookReceiver.Receipt receipt;
        try {
            receipt = receive("new_order.json");
        } finally {
            TestDatabase.get().execute("ALTER TABLE funnel_events DROP CONSTRAINT refuse_poshvip");
        }
        assertThat(receipt.status()).isEqualTo("failed");
        return receipt;
    }

    private static String status(long deliveryId) {
        return (String) Rows.row("SELECT status FROM webhook_deliveries WHERE id = ?", deliveryId).get("status");
    }
}
