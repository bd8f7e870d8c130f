package com.engarde.signupsync.functions.webhookposhvip;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.Delivery;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.Event;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.Style;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Race;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.testing.WebhookSigning;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.PATH;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.SECRET;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.sample;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.signed;
import static org.assertj.core.api.Assertions.assertThat;

/** Authenticated deliveries: stored exactly once, one effect each, answered 2xx unless the body is not JSON. */
class PoshWebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final LambdaFunction lambda = PoshWebhook.function();

    private static LambdaHarness.Response send(Style style, byte[] body) {
        return PoshWebhook.send(lambda, style, body);
    }

    @Test
    void aRedeliveryIsStoredOnceAndHasOneEffect() {
        LambdaHarness.Response first = send(Style.POSH_SECRET, sample("new_order.json"));
        LambdaHarness.Response again = send(Style.POSH_SECRET, sample("new_order.json"));

        assertThat(first.json().path("duplicate").asBoolean()).isFalse();
        assertThat(first.json().path("events_created").asInt()).isEqualTo(1);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(again.json().path("delivery_id").asLong()).isEqualTo(first.json().path("delivery_id").asLong());
        assertThat(PoshWebhook.deliveries()).hasSize(1).allSatisfy(d -> assertThat(d.attempts()).isEqualTo(1));
        assertThat(PoshWebhook.events()).hasSize(1);
    }

    @Test
    void aStandardWebhooksRetryIsRecognizedByItsWebhookIdDespiteANewTimestampAndSignature() {
        byte[] body = sample("purchase.created.json");
        long now = Instant.now().getEpochSecond();
        lambda.handle(WebhookSigning.withStandard(WebhookSigning.post(PATH, body, false), SECRET, "msg_retry", now - 60, body));
        LambdaHarness.Response retry = lambda.handle(WebhookSigning.withStandard(WebhookSigning.post(PATH, body, false),
                SECRET, "msg_retry", now, body));

        assertThat(retry.json().path("duplicate").asBoolean()).isTrue();
        assertThat(PoshWebhook.deliveries()).extracting(Delivery::key).containsExactly("msg_retry");
        assertThat(PoshWebhook.events()).hasSize(1);
    }

    @Test
    void aDifferentDeliveryThatSharesAnotherOnesIdentityIsKeptNotTakenForARetry() throws Exception {
        // Same type, event, order and update_date as the refund, but a dispute: Posh's identity of the two is equal.
        ObjectNode dispute = (ObjectNode) JSON.readTree(sample("order_updated-refunded.json"));
        dispute.put("refunded", false);
        dispute.put("disputed", true);
        send(Style.POSH_SECRET, sample("order_updated-refunded.json"));

        LambdaHarness.Response second = send(Style.POSH_SECRET, JSON.writeValueAsBytes(dispute));
        LambdaHarness.Response retryOfSecond = send(Style.POSH_SECRET, JSON.writeValueAsBytes(dispute));

        assertThat(second.json().path("duplicate").asBoolean()).isFalse();
        assertThat(retryOfSecond.json().path("duplicate").asBoolean()).isTrue();
        List<Delivery> deliveries = PoshWebhook.deliveries();
        assertThat(deliveries).hasSize(2);
        assertThat(deliveries.get(1).key()).startsWith(deliveries.get(0).key() + "#");
        // Both are refunds of one order: one ticket_refunded, whichever came first.
        assertThat(PoshWebhook.events()).extracting(Event::type).containsExactly("ticket_refunded");
    }

    @Test
    void identicalDeliveriesAtTheSameTimeAreStoredOnceWithOneEffect() throws Exception {
        byte[] body = sample("new_order.json");

        List<LambdaHarness.Response> answers = Race.run(8, i -> () -> send(Style.POSH_SECRET, body));

        int firsts = 0;
        int created = 0;
        for (LambdaHarness.Response response : answers) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json().path("status").asText()).isEqualTo("processed");
            firsts += response.json().path("duplicate").asBoolean() ? 0 : 1;
            created += response.json().path("events_created").asInt();
        }
        assertThat(firsts).isEqualTo(1);
        assertThat(created).isEqualTo(1);
        assertThat(PoshWebhook.deliveries()).hasSize(1);
        assertThat(PoshWebhook.events()).hasSize(1);
        assertThat(Rows.count("leads")).isEqualTo(1);
    }

    @Test
    void aRefundArrivingBeforeItsOrderEndsWithThePurchaseAndTheRefund() {
        send(Style.POSH_SECRET, sample("order_updated-refunded.json"));
        assertThat(PoshWebhook.events()).extracting(Event::type).containsExactly("ticket_refunded");

        send(Style.POSH_SECRET, sample("new_order.json"));

        List<Event> events = PoshWebhook.events();
        assertThat(events).extracting(Event::type).containsExactly("ticket_refunded", "ticket_purchased");
        assertThat(events).extracting(Event::externalId).containsOnly("65a1b2c3d4e5f6a7b8c9d0e1:1042");
        // The lead's first touch is the purchase, which happened first, though it arrived last.
        assertThat(PoshWebhook.query("SELECT first_touch_at, last_touch_at FROM leads",
                rs -> List.of(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant())).get(0))
                .containsExactly(Instant.parse("2026-06-20T18:04:11Z"), Instant.parse("2026-06-26T08:30:00Z"));
    }

    @Test
    void anOrderNumberSentAsANumberOrAsTextIsTheSameOrder() throws Exception {
        ObjectNode order = (ObjectNode) JSON.readTree(sample("new_order.json"));
        order.put("order_number", 1042);
        order.put("total", "95.50");
        order.put("a_field_posh_adds_someday", "kept in the raw body");
        send(Style.POSH_SECRET, JSON.writeValueAsBytes(order));
        send(Style.POSH_SECRET, sample("new_order.json"));

        assertThat(PoshWebhook.events()).hasSize(1);
        assertThat(PoshWebhook.events().get(0).data().path("total").decimalValue()).isEqualByComparingTo("95.5");
        assertThat(new String(PoshWebhook.deliveries().get(0).rawBody(), StandardCharsets.UTF_8))
                .contains("a_field_posh_adds_someday");
    }

    @Test
    void anUnknownTypeIsStoredIgnoredAndAcknowledged() {
        LambdaHarness.Response response = send(Style.POSH_SECRET,
                "{\"type\":\"order_teleported\",\"order_number\":7,\"account_email\":\"a@example.com\"}"
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("ignored");
        assertThat(PoshWebhook.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("ignored");
            assertThat(d.reason()).contains("unknown type 'order_teleported'");
            assertThat(d.eventType()).isEqualTo("order_teleported");
        });
        assertThat(PoshWebhook.events()).isEmpty();
    }

    @Test
    void aDeliveryWithoutAnEmailIsStoredFailedWithItsReasonAndAcknowledged() throws Exception {
        ObjectNode order = (ObjectNode) JSON.readTree(sample("new_order.json"));
        order.remove("account_email");

        LambdaHarness.Response response = send(Style.POSH_SECRET, JSON.writeValueAsBytes(order));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("failed");
        assertThat(response.json().path("reason").asText()).contains("account_email is missing");
        assertThat(PoshWebhook.deliveries()).extracting(Delivery::status).containsExactly("failed");
        assertThat(PoshWebhook.events()).isEmpty();
    }

    @Test
    void aMalformedFieldFailsTheDeliveryNamingTheField() throws Exception {
        ObjectNode order = (ObjectNode) JSON.readTree(sample("new_order.json"));
        order.put("total", "ninety-five");

        LambdaHarness.Response response = send(Style.POSH_SECRET, JSON.writeValueAsBytes(order));

        assertThat(response.status()).isEqualTo(200);
        assertThat(PoshWebhook.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("failed");
            assertThat(d.reason()).startsWith("total must be a number");
        });
        assertThat(PoshWebhook.events()).isEmpty();
    }

    @Test
    void malformedJsonIsAnswered400ButItsRawBodyIsKept() {
        byte[] body = "{\"type\": \"new_order\", \"order_number\": 10".getBytes(StandardCharsets.UTF_8);

        LambdaHarness.Response response = send(Style.POSH_SECRET, body);
        LambdaHarness.Response again = send(Style.POSH_SECRET, body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).isEqualTo("invalid_request");
        assertThat(again.status()).isEqualTo(400);
        assertThat(PoshWebhook.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("failed");
            assertThat(d.reason()).startsWith("body is not valid JSON");
            assertThat(d.rawBody()).isEqualTo(body);
        });
        assertThat(response.json().path("message").asText()).contains("delivery " + PoshWebhook.deliveries().get(0).id());
    }

    @Test
    void aBodyOverOneMegabyteIsAnswered413AndNotStored() throws Exception {
        ObjectNode order = (ObjectNode) JSON.readTree(sample("new_order.json"));
        order.put("padding", "");
        int base = JSON.writeValueAsBytes(order).length;
        order.put("padding", "x".repeat(1024 * 1024 - base));
        byte[] exactlyOneMegabyte = JSON.writeValueAsBytes(order);
        assertThat(exactlyOneMegabyte).hasSize(1024 * 1024);
        order.put("padding", "x".repeat(1024 * 1024 - base + 1));
        byte[] oneByteMore = JSON.writeValueAsBytes(order);

        LambdaHarness.Response tooLarge = send(Style.STANDARD_WEBHOOKS, oneByteMore);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().path("error").asText()).isEqualTo("payload_too_large");
        assertThat(PoshWebhook.deliveries()).isEmpty();

        LambdaHarness.Response atTheLimit = send(Style.STANDARD_WEBHOOKS, exactlyOneMegabyte);
        assertThat(atTheLimit.status()).isEqualTo(200);
        assertThat(PoshWebhook.deliveries()).singleElement().satisfies(d -> assertThat(d.rawBody()).hasSize(1024 * 1024));
    }

    @Test
    void bytesThatAreNotUtf8AreVerifiedAndKeptExactlyAsSent() {
        byte[] latin1 = "{\"type\":\"new_order\",\"account_first_name\":\"Zoë\"}".getBytes(StandardCharsets.ISO_8859_1);

        LambdaHarness.Response response = send(Style.STANDARD_WEBHOOKS, latin1);

        // The signature matched (not 401); the bytes are not UTF-8 JSON, so the body is refused and kept.
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(PoshWebhook.deliveries()).singleElement().satisfies(d -> assertThat(d.rawBody()).isEqualTo(latin1));
    }

    @Test
    void aSignatureIsCheckedOverTheBytesSentWhateverCharsetTheContentTypeNames() {
        byte[] body = sample("purchase.created.json");
        APIGatewayProxyRequestEvent event = signed(Style.BODY_SIGNATURE, SECRET, body);
        event.getHeaders().put("Content-Type", "application/json; charset=ISO-8859-1");

        LambdaHarness.Response response = lambda.handle(event);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(PoshWebhook.deliveries().get(0).rawBody()).isEqualTo(body);
        assertThat(Rows.number("SELECT count(*) FROM leads WHERE first_name = 'Zoë'")).isEqualTo(1);
    }

    @Test
    void aRedeliveryOfADeliveryThatWasNeverSettledProcessesIt() throws Exception {
        // As if the first attempt stored the delivery and died before processing it.
        byte[] body = sample("new_order.json");
        try (Connection c = TestDatabase.get().dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_deliveries"
                     + " (source_type, delivery_key, raw_body, status) VALUES ('poshvip', ?, ?, 'received')")) {
            insert.setString(1, "new_order:65a1b2c3d4e5f6a7b8c9d0e1:1042:2026-06-20T18:04:11.000Z");
            insert.setBytes(2, body);
            insert.executeUpdate();
        }

        LambdaHarness.Response response = send(Style.POSH_SECRET, body);

        assertThat(response.json().path("status").asText()).isEqualTo("processed");
        assertThat(PoshWebhook.deliveries()).extracting(Delivery::status).containsExactly("processed");
        assertThat(PoshWebhook.events()).hasSize(1);
    }

    @Test
    void noSecretOrSignatureIsStoredWithADelivery() {
        send(Style.STANDARD_WEBHOOKS, sample("new_order.json"));
        send(Style.BODY_SIGNATURE, sample("purchase.refunded.json"));

        String stored = String.join("|", PoshWebhook.query(
                "SELECT d::text FROM (SELECT delivery_key, headers, reason, auth_scheme FROM webhook_deliveries) d",
                rs -> rs.getString(1)));
        assertThat(stored).doesNotContain(SECRET).doesNotContain("v1,").doesNotContainIgnoringCase("signature\"");
        assertThat(Arrays.asList("webhook-id", "content-type")).allMatch(stored::contains);
    }
}
