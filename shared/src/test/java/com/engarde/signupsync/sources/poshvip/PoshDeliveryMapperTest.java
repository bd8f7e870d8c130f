package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Utm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PoshDeliveryMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-06-30T12:00:00Z");
    private final PoshDeliveryMapper mapper = new PoshDeliveryMapper();

    private PoshMapping map(String json) throws Exception {
        return mapper.map(JSON.readTree(json), 7, RECEIVED);
    }

    private NewFunnelEvent single(String json) throws Exception {
        PoshMapping mapping = map(json);
        assertThat(mapping).isInstanceOf(PoshMapping.Events.class);
        return ((PoshMapping.Events) mapping).events().get(0);
    }

    @Test
    void utmParametersComeFromATrackingLinkThatCarriesThem() {
        assertThat(PoshDeliveryMapper.utm("https://posh.vip/e/x?t=A&utm_source=ig&utm_medium=social"
                + "&utm_campaign=summer%20launch&utm_term=t&utm_content=c#top"))
                .isEqualTo(new Utm("ig", "social", "summer launch", "t", "c"));
        assertThat(PoshDeliveryMapper.utm("PROMO001")).isEqualTo(Utm.NONE);
        assertThat(PoshDeliveryMapper.utm(null)).isEqualTo(Utm.NONE);
    }

    @Test
    void numbersAndStringsAreReadAlikeAndMissingOptionalFieldsAreFine() throws Exception {
        NewFunnelEvent asNumbers = single("{\"type\":\"new_order\",\"order_number\":42,\"event_id\":\"e1\","
                + "\"account_email\":\"A@Example.com\",\"total\":12.5,\"items\":[{\"price\":12.5}]}");
        NewFunnelEvent asText = single("{\"type\":\"new_order\",\"order_number\":\"42\",\"event_id\":\"e1\","
                + "\"account_email\":\"a@example.com\",\"total\":\"$12.50\"}");

        assertThat(asNumbers.externalId()).isEqualTo("e1:42").isEqualTo(asText.externalId());
        assertThat(asNumbers.person().email()).isEqualTo("a@example.com");
        assertThat(asNumbers.eventData().path("total").decimalValue())
                .isEqualByComparingTo(asText.eventData().path("total").decimalValue());
        assertThat(asNumbers.eventData().path("quantity").asInt()).isEqualTo(1);
        // No purchase date: the delivery's own time, not the time of a later replay.
        assertThat(asNumbers.occurredAt()).isEqualTo(RECEIVED);
    }

    @Test
    void anUpdateWithoutARefundCancellationOrDisputeIsIgnored() throws Exception {
        assertThat(map("{\"type\":\"order_updated\",\"order_number\":1,\"account_email\":\"a@example.com\","
                + "\"cancelled\":false,\"refunded\":\"false\",\"partialRefund\":0}"))
                .isInstanceOf(PoshMapping.Ignored.class);
    }

    @Test
    void everyReasonOfARefundIsKept() throws Exception {
        NewFunnelEvent refund = single("{\"type\":\"order_updated\",\"order_number\":1,\"account_email\":"
                + "\"a@example.com\",\"cancelled\":true,\"refunded\":1,\"partialRefund\":\"10\"}");
        assertThat(refund.eventData().path("reasons").toString())
                .isEqualTo("[\"cancelled\",\"refunded\",\"partial_refund\"]");
    }

    @Test
    void aPendingActionNeedsApprovedOrDenied() throws Exception {
        assertThat(map("{\"type\":\"pending_order_actioned\",\"order_number\":1,\"account_email\":\"a@example.com\"}"))
                .isEqualTo(new PoshMapping.Failed("action is missing: pending_order_actioned needs approved or denied"));
        assertThat(map("{\"type\":\"pending_order_actioned\",\"action\":\"maybe\",\"order_number\":1}"))
                .isInstanceOf(PoshMapping.Failed.class);
    }

    @Test
    void malformedValuesFailNamingTheField() throws Exception {
        assertThat(map("{\"type\":\"new_order\",\"order_number\":{\"n\":1},\"account_email\":\"a@example.com\"}"))
                .isEqualTo(new PoshMapping.Failed("order_number must be a string or an integer"));
        assertThat(map("{\"type\":\"new_order\",\"order_number\":1,\"account_email\":\"not-an-email\"}"))
                .isEqualTo(new PoshMapping.Failed("account_email is not a valid email address"));
        assertThat(map("{\"type\":\"new_order\",\"order_number\":1,\"account_email\":\"a@example.com\","
                + "\"date_purchased\":\"last tuesday\"}"))
                .isInstanceOf(PoshMapping.Failed.class)
                .satisfies(m -> assertThat(((PoshMapping.Failed) m).reason()).startsWith("date_purchased"));
        assertThat(map("[1,2]")).isEqualTo(new PoshMapping.Failed("body must be a JSON object, got array"));
        assertThat(map("{\"order_number\":1}"))
                .isEqualTo(new PoshMapping.Failed("type is missing: the delivery does not say what happened"));
    }

    @Test
    void aTransferWithoutTheNewHolderFails() throws Exception {
        JsonNode body = JSON.readTree("{\"type\":\"ticket.transferred\",\"data\":{\"order_number\":1,"
                + "\"account_email\":\"a@example.com\"}}");
        assertThat(mapper.map(body, 1, RECEIVED))
                .isEqualTo(new PoshMapping.Failed("transferred_to is missing: the new holder cannot be identified"));
    }

    @Test
    void aCheckInCountsOncePerPersonAndEventWhateverTheTicket() throws Exception {
        NewFunnelEvent first = single("{\"type\":\"ticket.checked_in\",\"timestamp\":\"2026-06-30T21:00:00Z\","
                + "\"data\":{\"event_id\":\"e\",\"ticket_id\":\"t1\",\"account_email\":\"a@example.com\"}}");
        NewFunnelEvent second = single("{\"type\":\"ticket.checked_in\",\"data\":{\"event_id\":\"e\","
                + "\"ticket_id\":\"t2\",\"attendee\":{\"email\":\"A@example.com\"}}}");
        assertThat(first.externalId()).isEqualTo(second.externalId()).isEqualTo("e:a@example.com");
        assertThat(first.occurredAt()).isEqualTo(Instant.parse("2026-06-30T21:00:00Z"));
    }

    @Test
    void aTimeMoreThanADayAfterReceiptFailsTheDeliveryNamingTheField() throws Exception {
        JsonNode body = JSON.readTree("{\"type\":\"new_order\",\"account_email\":\"a@example.com\","
                + "\"order_number\":\"1\",\"date_purchased\":\"2026-07-01T12:00:01Z\"}");
        assertThat(mapper.map(body, 1, RECEIVED)).isInstanceOf(PoshMapping.Failed.class)
                .extracting(m -> ((PoshMapping.Failed) m).reason()).asString().startsWith("date_purchased must be between");
        JsonNode dayAhead = JSON.readTree(body.toString().replace("2026-07-01T12:00:01Z", "2026-07-01T12:00:00Z"));
        assertThat(mapper.map(dayAhead, 1, RECEIVED)).isInstanceOf(PoshMapping.Events.class);
    }
}
