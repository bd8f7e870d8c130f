package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.funnel.Emails;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps one Posh.VIP delivery to funnel events for the people in it. Every event of an order carries the
 * order's key ({@code <event_id>:<order_number>}) as its external id, so a purchase and its refund pair up
 * whatever order they arrive in, and a redelivery or a replay writes nothing twice.
 *
 * <p>Two styles arrive: Posh's own flat order object ({@code {"type":"new_order","order_number":...}}), and
 * signed integrations' envelopes whose order fields sit under {@code data}
 * ({@code {"type":"purchase.created","timestamp":...,"data":{...}}}). Field names are Posh's; a few common
 * alternatives ({@code email}, {@code first_name}, {@code order_id}) are read too.
 */
@Singleton
public class PoshDeliveryMapper {

    static final int NAME_LENGTH = 200;
    static final int PHONE_LENGTH = 50;
    static final int TEXT_LENGTH = 500;
    static final int EXTERNAL_ID_LENGTH = 255;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The delivery's type as sent ({@code type}, else {@code event}), or null. */
    public static String type(JsonNode body) {
        if (!body.isObject()) {
            return null;
        }
        JsonNode node = PoshFields.first(body, "type", "event");
        if (node == null || !node.isTextual()) {
            return null;
        }
        String type = node.textValue().strip();
        return type.length() > 100 ? type.substring(0, 100) : type;
    }

    /** The object holding the order's fields: the envelope's {@code data}, or the body itself. */
    public static JsonNode order(JsonNode body) {
        JsonNode data = body.get("data");
        return data != null && data.isObject() ? data : body;
    }

    public PoshMapping map(JsonNode body, long deliveryId, Instant receivedAt) {
        try {
            return mapOrFail(body, deliveryId, receivedAt);
        } catch (MalformedDelivery e) {
            return new PoshMapping.Failed(e.getMessage());
        }
    }

    private PoshMapping mapOrFail(JsonNode body, long deliveryId, Instant receivedAt) {
        if (!body.isObject()) {
            throw new MalformedDelivery("body must be a JSON object, got " + body.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String type = type(body);
        if (type == null) {
            throw new MalformedDelivery("type is missing: the delivery does not say what happened");
        }
        String unreadable = InputText.problem(type, false);
        if (unreadable != null) {
            throw new MalformedDelivery("type " + unreadable);
        }
        JsonNode order = order(body);
        Instant sentAt = PoshFields.instant(receivedAt, body, "timestamp");
        Instant fallback = sentAt != null ? sentAt : receivedAt;
        return switch (PoshDeliveryType.of(type)) {
            case PURCHASE -> purchase(order, type, deliveryId, fallback, receivedAt);
            case ORDER_REQUEST -> new PoshMapping.Ignored(
                    "order request awaits the organizer's approval; it becomes a purchase when approved");
            case ORDER_ACTIONED -> actioned(order, type, deliveryId, fallback, receivedAt);
            case ORDER_UPDATE -> update(order, type, deliveryId, fallback, receivedAt, List.of());
            case REFUND -> update(order, type, deliveryId, fallback, receivedAt, List.of("refunded"));
            case TRANSFER -> transfer(order, type, deliveryId, fallback, receivedAt);
            case CHECK_IN -> checkIn(order, type, deliveryId, fallback, receivedAt);
            case UNKNOWN -> new PoshMapping.Ignored("unknown type '" + type + "'");
        };
    }

    private PoshMapping purchase(JsonNode order, String type, long deliveryId, Instant fallback, Instant receivedAt) {
        String orderKey = orderKey(order);
        Person buyer = person(order, "account_email", "the buyer");
        Instant at = firstInstant(fallback, PoshFields.instant(receivedAt, order, "date_purchased"),
                PoshFields.instant(receivedAt, order, "update_date"));
        ObjectNode data = orderData(order, type, deliveryId);
        return events(new NewFunnelEvent(PoshIntegration.POSHVIP, EventType.TICKET_PURCHASED, orderKey, at, buyer,
                utm(PoshFields.text(order, 2000, "tracking_link")), data));
    }

    private PoshMapping actioned(JsonNode order, String type, long deliveryId, Instant fallback, Instant receivedAt) {
        String action = PoshFields.text(order, 40, "action");
        if (action == null) {
            throw new MalformedDelivery("action is missing: pending_order_actioned needs approved or denied");
        }
        return switch (action.toLowerCase(Locale.ROOT)) {
            case "approved", "approve", "accepted" -> purchase(order, type, deliveryId, fallback, receivedAt);
            case "denied", "deny", "rejected", "declined" -> new PoshMapping.Ignored("order request was denied");
            default -> throw new MalformedDelivery("action must be approved or denied, got '" + action + "'");
        };
    }

    /** An order change: a ticket_refunded when it refunds, cancels or disputes the order, else nothing. */
    private PoshMapping update(JsonNode order, String type, long deliveryId, Instant fallback, Instant receivedAt, List<String> implied) {
        List<String> reasons = new ArrayList<>(implied);
        for (String flag : List.of("cancelled", "refunded", "disputed")) {
            if (PoshFields.flag(order, flag) && !reasons.contains(flag)) {
                reasons.add(flag);
            }
        }
        BigDecimal partial = PoshFields.amount(order, "partialRefund", "partial_refund");
        if (partial != null && partial.signum() > 0 && !reasons.contains("partial_refund")) {
            reasons.add("partial_refund");
        }
        String status = PoshFields.text(order, 40, "status");
        if (status != null) {
            String reason = switch (status.toLowerCase(Locale.ROOT)) {
                case "cancelled", "canceled" -> "cancelled";
                case "refunded" -> "refunded";
                case "partially_refunded", "partial_refund" -> "partial_refund";
                case "disputed" -> "disputed";
                default -> null;
            };
            if (reason != null && !reasons.contains(reason)) {
                reasons.add(reason);
            }
        }
        if (reasons.isEmpty()) {
            return new PoshMapping.Ignored("order update without a refund, cancellation or dispute");
        }
        String orderKey = orderKey(order);
        Person buyer = person(order, "account_email", "the buyer");
        Instant at = firstInstant(fallback, PoshFields.instant(receivedAt, order, "update_date"));
        ObjectNode data = JSON.objectNode();
        data.put("delivery_id", deliveryId);
        data.put("posh_type", type);
        ArrayNode why = data.putArray("reasons");
        reasons.forEach(why::add);
        putText(data, "order_number", PoshFields.identifier(order, "order_number", "order_id"));
        putText(data, "event_id", PoshFields.identifier(order, "event_id"));
        putText(data, "event_name", PoshFields.text(order, TEXT_LENGTH, "event_name"));
        putAmount(data, "partial_refund", partial != null && partial.signum() > 0 ? partial : null);
        putAmount(data, "total", PoshFields.amount(order, "total"));
        return events(new NewFunnelEvent(PoshIntegration.POSHVIP, EventType.TICKET_REFUNDED, orderKey, at, buyer,
                Utm.NONE, data));
    }

    /** A ticket given to someone else: a purchase for the new holder, one per ticket (or holder). */
    private PoshMapping transfer(JsonNode order, String type, long deliveryId, Instant fallback, Instant receivedAt) {
        String orderKey = orderKey(order);
        JsonNode to = PoshFields.first(order, "transferred_to", "new_holder", "recipient");
        if (to == null || !to.isObject()) {
            throw new MalformedDelivery("transferred_to is missing: the new holder cannot be identified");
        }
        Person holder = person(to, "transferred_to.email", "the new holder");
        String ticketId = PoshFields.identifier(order, "ticket_id");
        Instant at = firstInstant(fallback, PoshFields.instant(receivedAt, order, "transferred_at"),
                PoshFields.instant(receivedAt, order, "update_date"));
        ObjectNode data = JSON.objectNode();
        data.put("delivery_id", deliveryId);
        data.put("posh_type", type);
        data.put("transfer", true);
        putText(data, "ticket_id", ticketId);
        putText(data, "order_number", PoshFields.identifier(order, "order_number", "order_id"));
        putText(data, "event_id", PoshFields.identifier(order, "event_id"));
        putText(data, "event_name", PoshFields.text(order, TEXT_LENGTH, "event_name"));
        putText(data, "event_start", PoshFields.text(order, 64, "event_start"));
        String externalId = bounded(orderKey + ":transfer:" + (ticketId != null ? ticketId : holder.email()));
        return events(new NewFunnelEvent(PoshIntegration.POSHVIP, EventType.TICKET_PURCHASED, externalId, at, holder,
                Utm.NONE, data));
    }

    /** A ticket scanned at the door: the holder attended the event (once, however many tickets they hold). */
    private PoshMapping checkIn(JsonNode order, String type, long deliveryId, Instant fallback, Instant receivedAt) {
        JsonNode attendee = PoshFields.first(order, "attendee", "holder");
        Person person = attendee != null && attendee.isObject()
                ? person(attendee, "attendee.email", "the attendee") : person(order, "account_email", "the attendee");
        String eventId = PoshFields.identifier(order, "event_id");
        String orderNumber = PoshFields.identifier(order, "order_number", "order_id");
        if (eventId == null && orderNumber == null) {
            throw new MalformedDelivery("event_id is missing: the event attended cannot be identified");
        }
        Instant at = firstInstant(fallback, PoshFields.instant(receivedAt, order, "checked_in_at"));
        ObjectNode data = JSON.objectNode();
        data.put("delivery_id", deliveryId);
        data.put("posh_type", type);
        putText(data, "event_id", eventId);
        putText(data, "event_name", PoshFields.text(order, TEXT_LENGTH, "event_name"));
        putText(data, "event_start", PoshFields.text(order, 64, "event_start"));
        putText(data, "order_number", orderNumber);
        putText(data, "ticket_id", PoshFields.identifier(order, "ticket_id"));
        String externalId = bounded((eventId != null ? eventId : orderKey(order)) + ":" + person.email());
        return events(new NewFunnelEvent(PoshIntegration.POSHVIP, EventType.EVENT_ATTENDED, externalId, at, person,
                Utm.NONE, data));
    }

    /** The key every event of one order shares: {@code <event_id>:<order_number>}, or the number alone. */
    static String orderKey(JsonNode order) {
        String orderNumber = PoshFields.identifier(order, "order_number", "order_id");
        if (orderNumber == null) {
            throw new MalformedDelivery("order_number is missing: the order cannot be identified");
        }
        String eventId = PoshFields.identifier(order, "event_id");
        return bounded(eventId == null ? orderNumber : eventId + ":" + orderNumber);
    }

    private static Person person(JsonNode node, String field, String who) {
        String raw = PoshFields.text(node, 400, "account_email", "email", "buyer_email");
        if (raw == null) {
            throw new MalformedDelivery(field + " is missing: " + who + " cannot be identified");
        }
        String email = Emails.normalize(raw);
        if (!Emails.isValid(email)) {
            throw new MalformedDelivery(field + " is not a valid email address");
        }
        return new Person(email,
                PoshFields.text(node, NAME_LENGTH, "account_first_name", "first_name"),
                PoshFields.text(node, NAME_LENGTH, "account_last_name", "last_name"),
                PoshFields.text(node, PHONE_LENGTH, "account_phone", "phone"));
    }

    private static ObjectNode orderData(JsonNode order, String type, long deliveryId) {
        ObjectNode data = JSON.objectNode();
        data.put("delivery_id", deliveryId);
        data.put("posh_type", type);
        putText(data, "order_number", PoshFields.identifier(order, "order_number", "order_id"));
        putText(data, "event_id", PoshFields.identifier(order, "event_id"));
        putText(data, "event_name", PoshFields.text(order, TEXT_LENGTH, "event_name"));
        // Kept as sent: Posh appears to write the venue's wall-clock time with a Z suffix.
        putText(data, "event_start", PoshFields.text(order, 64, "event_start"));
        putText(data, "event_end", PoshFields.text(order, 64, "event_end"));
        int quantity = 0;
        JsonNode items = PoshFields.first(order, "items");
        if (items != null) {
            if (!items.isArray()) {
                throw new MalformedDelivery("items must be an array");
            }
            ArrayNode list = data.putArray("items");
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                if (!item.isObject()) {
                    throw new MalformedDelivery("items[" + i + "] must be an object");
                }
                Integer count = PoshFields.count(item, "quantity");
                int n = count == null ? 1 : count;
                quantity += n;
                ObjectNode copy = list.addObject();
                putText(copy, "item_id", PoshFields.identifier(item, "item_id", "id"));
                putText(copy, "name", PoshFields.text(item, TEXT_LENGTH, "name"));
                putAmount(copy, "price", PoshFields.amount(item, "price"));
                copy.put("quantity", n);
            }
            data.put("quantity", quantity);
        }
        putAmount(data, "subtotal", PoshFields.amount(order, "subtotal"));
        putAmount(data, "total", PoshFields.amount(order, "total"));
        putText(data, "currency", PoshFields.text(order, 10, "currency"));
        putText(data, "promo_code", PoshFields.text(order, TEXT_LENGTH, "promo_code"));
        putText(data, "tracking_link", PoshFields.text(order, 2000, "tracking_link"));
        if (PoshFields.first(order, "isInPersonOrder") != null) {
            data.put("in_person", PoshFields.flag(order, "isInPersonOrder"));
        }
        JsonNode custom = order.get("custom_fields");
        if (custom != null && custom.isArray() && !custom.isEmpty()) {
            data.set("custom_fields", custom.deepCopy());
        }
        return data;
    }

    /** UTM parameters carried by a tracking link such as {@code https://posh.vip/e/x?utm_source=ig}; else none. */
    static Utm utm(String trackingLink) {
        return Utm.fromLink(trackingLink);
    }

    private static Instant firstInstant(Instant fallback, Instant... candidates) {
        for (Instant candidate : candidates) {
            if (candidate != null) {
                return candidate.truncatedTo(ChronoUnit.MICROS);
            }
        }
        return fallback.truncatedTo(ChronoUnit.MICROS);
    }

    private static String bounded(String externalId) {
        if (externalId.length() > EXTERNAL_ID_LENGTH) {
            throw new MalformedDelivery("order identifiers are longer than " + EXTERNAL_ID_LENGTH + " characters");
        }
        return externalId;
    }

    private static PoshMapping events(NewFunnelEvent... events) {
        return new PoshMapping.Events(List.of(events));
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void putAmount(ObjectNode node, String field, BigDecimal value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
