package com.engarde.signupsync.functions.webhookposhvip;

import com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.Delivery;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.Event;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.Style;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every sample delivery under events/webhooks/poshvip, sent with each way of authenticating. */
class PoshDeliveryTypesTest {

    private static final String POSH_EVENT = "65a1b2c3d4e5f6a7b8c9d0e1";
    private static final String SIGNED_EVENT = "66f0e1d2c3b4a59687706152";

    @RegisterExtension
    static final LambdaFunction lambda = PoshWebhook.function();

    /** What a sample must leave behind: the delivery's status, and the one funnel event it maps to, if any. */
    record Expected(String sample, String status, String eventType, String externalId, String email,
                    String occurredAt) {
        @Override
        public String toString() {
            return sample;
        }
    }

    static final List<Expected> SAMPLES = List.of(
            new Expected("new_order.json", "processed", "ticket_purchased", POSH_EVENT + ":1042",
                    "jane@example.com", "2026-06-20T18:04:11Z"),
            new Expected("new_order_request.json", "ignored", null, null, null, null),
            new Expected("pending_order_actioned-approved.json", "processed", "ticket_purchased",
                    POSH_EVENT + ":1043", "marcus.lee@example.com", "2026-06-21T09:15:00Z"),
            new Expected("pending_order_actioned-denied.json", "ignored", null, null, null, null),
            new Expected("order_updated-cancelled.json", "processed", "ticket_refunded", POSH_EVENT + ":1042",
                    "jane@example.com", "2026-06-25T12:00:00Z"),
            new Expected("order_updated-refunded.json", "processed", "ticket_refunded", POSH_EVENT + ":1042",
                    "jane@example.com", "2026-06-26T08:30:00Z"),
            new Expected("order_updated-disputed.json", "processed", "ticket_refunded", POSH_EVENT + ":1042",
                    "jane@example.com", "2026-07-10T16:45:00Z"),
            new Expected("order_updated-partial_refund.json", "processed", "ticket_refunded", POSH_EVENT + ":1042",
                    "jane@example.com", "2026-06-24T14:00:00Z"),
            new Expected("purchase.created.json", "processed", "ticket_purchased", SIGNED_EVENT + ":2001",
                    "zoe.unal@example.com", "2026-06-22T19:41:05Z"),
            new Expected("purchase.updated.json", "processed", "ticket_refunded", SIGNED_EVENT + ":2001",
                    "zoe.unal@example.com", "2026-06-28T10:11:58Z"),
            new Expected("purchase.refunded.json", "processed", "ticket_refunded", SIGNED_EVENT + ":2002",
                    "tomas.garcia@example.com", "2026-06-29T07:59:51Z"),
            new Expected("ticket.transferred.json", "processed", "ticket_purchased",
                    SIGNED_EVENT + ":2001:transfer:tkt_2001_2", "amara.okafor@example.com", "2026-07-15T12:29:41Z"),
            new Expected("ticket.checked_in.json", "processed", "event_attended",
                    SIGNED_EVENT + ":zoe.unal@example.com", "zoe.unal@example.com", "2026-08-01T21:47:03Z"));

    static Stream<Arguments> samplesInEachStyle() {
        return SAMPLES.stream().flatMap(e -> Arrays.stream(Style.values()).map(s -> Arguments.of(e, s)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("samplesInEachStyle")
    void eachDeliveryTypeIsStoredAndMapped(Expected expected, Style style) {
        LambdaHarness.Response response = PoshWebhook.send(lambda, style, PoshWebhook.sample(expected.sample()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo(expected.status());
        List<Delivery> deliveries = PoshWebhook.deliveries();
        assertThat(deliveries).hasSize(1);
        Delivery delivery = deliveries.get(0);
        assertThat(delivery.status()).isEqualTo(expected.status());
        assertThat(delivery.rawBody()).isEqualTo(PoshWebhook.sample(expected.sample()));
        assertThat(delivery.authScheme()).isEqualTo(switch (style) {
            case POSH_SECRET -> "shared-secret";
            case BODY_SIGNATURE -> "signature";
            case STANDARD_WEBHOOKS -> "standard-webhooks";
        });
        assertThat(delivery.headers()).doesNotContain(PoshWebhook.SECRET).doesNotContainIgnoringCase("signature");

        List<Event> events = PoshWebhook.events();
        if (expected.eventType() == null) {
            assertThat(events).isEmpty();
            assertThat(delivery.reason()).isNotBlank();
            return;
        }
        assertThat(events).hasSize(1);
        Event event = events.get(0);
        assertThat(event.type()).isEqualTo(expected.eventType());
        assertThat(event.externalId()).isEqualTo(expected.externalId());
        assertThat(event.email()).isEqualTo(expected.email());
        assertThat(event.occurredAt()).isEqualTo(Instant.parse(expected.occurredAt()));
        assertThat(event.data().path("delivery_id").asLong()).isEqualTo(delivery.id());
    }

    @Test
    void aPurchaseKeepsItsItemsTotalsPromoCodeEventAndUtm() {
        PoshWebhook.send(lambda, Style.STANDARD_WEBHOOKS, PoshWebhook.sample("purchase.created.json"));

        Event purchase = PoshWebhook.events().get(0);
        assertThat(purchase.data().path("event_name").asText()).isEqualTo("Noche de Verano — Rooftop");
        assertThat(purchase.data().path("event_start").asText()).isEqualTo("2026-08-01T21:00:00.000Z");
        assertThat(purchase.data().path("total").decimalValue()).isEqualByComparingTo("64.80");
        assertThat(purchase.data().path("subtotal").decimalValue()).isEqualByComparingTo("60");
        assertThat(purchase.data().path("promo_code").asText()).isEqualTo("ROOF20");
        assertThat(purchase.data().path("quantity").asInt()).isEqualTo(2);
        assertThat(purchase.data().path("items").get(0).path("name").asText()).isEqualTo("Early Bird GA");
        assertThat(purchase.utmSource()).isEqualTo("newsletter");
        assertThat(purchase.utmCampaign()).isEqualTo("june-drop");
        List<String> names = PoshWebhook.query("SELECT first_name || ' ' || last_name FROM leads",
                rs -> rs.getString(1));
        assertThat(names).containsExactly("Zoë Ünal");
    }

    @Test
    void aTrackingLinkWithoutUtmParametersLeavesUtmEmptyAndIsKept() {
        PoshWebhook.send(lambda, Style.POSH_SECRET, PoshWebhook.sample("new_order.json"));

        Event purchase = PoshWebhook.events().get(0);
        assertThat(purchase.utmSource()).isNull();
        assertThat(purchase.data().path("tracking_link").asText()).isEqualTo("PROMO001");
        assertThat(purchase.data().path("quantity").asInt()).isEqualTo(2);
        assertThat(purchase.data().path("total").decimalValue()).isEqualByComparingTo("95.5");
    }

    @Test
    void aPendingRequestBecomesAPurchaseOnlyWhenApproved() {
        PoshWebhook.send(lambda, Style.POSH_SECRET, PoshWebhook.sample("new_order_request.json"));
        assertThat(PoshWebhook.events()).isEmpty();

        PoshWebhook.send(lambda, Style.POSH_SECRET, PoshWebhook.sample("pending_order_actioned-approved.json"));

        List<Event> events = PoshWebhook.events();
        assertThat(events).extracting(Event::type).containsExactly("ticket_purchased");
        assertThat(events.get(0).utmSource()).isEqualTo("instagram");
        assertThat(events.get(0).utmCampaign()).isEqualTo("summer-launch");
        assertThat(PoshWebhook.deliveries()).extracting(Delivery::status).containsExactly("ignored", "processed");
    }

    @Test
    void aCheckInAndATransferLeaveTheBuyersPurchaseAndAddTheNewHolder() {
        PoshWebhook.send(lambda, Style.STANDARD_WEBHOOKS, PoshWebhook.sample("purchase.created.json"));
        PoshWebhook.send(lambda, Style.STANDARD_WEBHOOKS, PoshWebhook.sample("ticket.transferred.json"));
        PoshWebhook.send(lambda, Style.STANDARD_WEBHOOKS, PoshWebhook.sample("ticket.checked_in.json"));

        assertThat(PoshWebhook.events()).extracting(Event::type, Event::email).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ticket_purchased", "zoe.unal@example.com"),
                org.assertj.core.groups.Tuple.tuple("ticket_purchased", "amara.okafor@example.com"),
                org.assertj.core.groups.Tuple.tuple("event_attended", "zoe.unal@example.com"));
    }
}
