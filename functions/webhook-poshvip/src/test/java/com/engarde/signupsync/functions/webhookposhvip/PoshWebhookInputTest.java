package com.engarde.signupsync.functions.webhookposhvip;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.Style;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.WebhookSigning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.PATH;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.SECRET;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.sample;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.signed;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever an authenticated delivery holds, it is kept; what it may not hold fails it, never the request. */
class PoshWebhookInputTest {

    private static final String ORDER = new String(sample("new_order.json"), StandardCharsets.UTF_8);
    @RegisterExtension
    static final LambdaFunction lambda = PoshWebhook.function();

    @ParameterizedTest
    @ValueSource(strings = {"\"type\": \"new_order", "\"event_id\": \"65a1b2c3d4e5f6a7b8c9d0e1",
            "\"order_number\": \"1042", "\"update_date\": \"2026-06-20T18:04:11.000Z"})
    void anAuthenticatedDeliveryWithANulIsKept(String field) {
        byte[] body = ORDER.replace(field, field + "\\u0000").getBytes(StandardCharsets.UTF_8);

        LambdaHarness.Response response = PoshWebhook.send(lambda, Style.POSH_SECRET, body);

        assertThat(response.status()).as(response.body()).isLessThan(500);
        assertThat(PoshWebhook.deliveries()).hasSize(1);
        assertThat(PoshWebhook.deliveries().get(0).rawBody()).isEqualTo(body);
    }

    @Test
    void aPurchaseDateTheApiWouldRefuseFailsTheDelivery() {
        byte[] body = ORDER.replace("\"date_purchased\": \"2026-06-20T18:04:11.000Z\"",
                "\"date_purchased\": \"9999-12-31T00:00:00Z\"").getBytes(StandardCharsets.UTF_8);

        LambdaHarness.Response response = PoshWebhook.send(lambda, Style.POSH_SECRET, body);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(PoshWebhook.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("failed");
            assertThat(d.reason()).contains("date_purchased").contains("a day");
        });
        assertThat(PoshWebhook.events()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Style.class, names = {"POSH_SECRET", "BODY_SIGNATURE"})
    void anUnsignedWebhookIdDoesNotMakeAReplayNew(Style style) {
        byte[] body = ORDER.getBytes(StandardCharsets.UTF_8);
        APIGatewayProxyRequestEvent first = signed(style, SECRET, body);
        first.getHeaders().put("webhook-id", "msg_first");
        APIGatewayProxyRequestEvent replay = signed(style, SECRET, body);
        replay.getHeaders().put("webhook-id", "msg_replayed");

        assertThat(lambda.handle(first).status()).isEqualTo(200);
        LambdaHarness.Response again = lambda.handle(replay);

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(PoshWebhook.deliveries()).hasSize(1);
    }

    @Test
    void aSignedWebhookIdStillIdentifiesTheDelivery() {
        byte[] body = ORDER.getBytes(StandardCharsets.UTF_8);
        long now = java.time.Instant.now().getEpochSecond();
        lambda.handle(WebhookSigning.withStandard(WebhookSigning.post(PATH, body, false), SECRET, "msg_a", now, body));
        LambdaHarness.Response again = lambda.handle(WebhookSigning.withStandard(WebhookSigning.post(PATH, body, false),
                SECRET, "msg_a", now, body));

        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(PoshWebhook.deliveries()).singleElement().satisfies(d -> assertThat(d.key()).isEqualTo("msg_a"));
    }

    @Test
    void aReplayedOldBodyDoesNotRewriteTheLead() {
        byte[] original = ORDER.getBytes(StandardCharsets.UTF_8);
        assertThat(PoshWebhook.send(lambda, Style.POSH_SECRET, original).status()).isEqualTo(200);
        // The same order event again, with another name: a duplicate event, so the lead keeps its details.
        byte[] altered = ORDER.replace("\"Jane\"", "\"Mallory\"").getBytes(StandardCharsets.UTF_8);
        assertThat(PoshWebhook.send(lambda, Style.POSH_SECRET, altered).status()).isEqualTo(200);

        assertThat(com.engarde.signupsync.testing.Rows.row("SELECT first_name FROM leads"))
                .containsEntry("first_name", "Jane");
    }
}
