package com.engarde.signupsync.sources.eventbrite;

import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.VendorText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Eventbrite records as funnel events.
 * <ul>
 *   <li>An attendee (one per ticket) is one record, its attendee id, mapping to {@code event_registered} and,
 *       once checked in, {@code event_attended}. The events are keyed by event, order and person, not by
 *       ticket: where the event collects only the buyer's details, every attendee of an order carries the
 *       buyer's profile, and that is one person registered, not one per ticket.</li>
 *   <li>An order is one record, {@code order:<id>}, mapping to {@code ticket_purchased} once placed, and also
 *       {@code ticket_refunded} once refunded or cancelled; one not yet placed (started, pending, abandoned)
 *       maps to nothing until it is.</li>
 * </ul>
 * UTM: the affiliate (tracking-link) code, where Eventbrite gives one, is the touch's {@code utm_source}.
 */
final class EventbriteMapper {

    private static final Set<String> PLACED = Set.of("placed", "refunded", "cancelled", "canceled", "deleted");
    private static final Set<String> UNDONE = Set.of("refunded", "cancelled", "canceled", "deleted");

    private EventbriteMapper() {
    }

    static SyncRecord attendee(JsonNode a) {
        String id = VendorText.id(a.path("id").asText(""));
        if (id.isEmpty()) {
            return SyncRecord.failed("attendee:(no id)", null, "attendee without an id");
        }
        JsonNode profile = a.path("profile");
        Person person = VendorText.person(profile.path("email").asText(""), profile.path("first_name").asText(null),
                profile.path("last_name").asText(null), profile.path("cell_phone").asText(null));
        if (person == null) {
            return SyncRecord.failed(id, null, "attendee " + id + " has no valid email address");
        }
        String event = VendorText.id(a.path("event_id").asText(""));
        String order = VendorText.id(a.path("order_id").asText(""));
        // Per event, order and person: the tickets of a buyer-only order are one person's registration.
        String key = event + ":" + (order.isEmpty() ? "attendee-" + id : order) + ":" + person.email();
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("event_id", event);
        if (!order.isEmpty()) {
            data.put("order_id", order);
        }
        Utm utm = utm(a);
        Instant created = VendorText.instant(a, "created");
        List<NewFunnelEvent> events = new ArrayList<>(2);
        events.add(new NewFunnelEvent(EventbriteIntegration.EVENTBRITE, EventType.EVENT_REGISTERED, key, created, person, utm, data));
        if (a.path("checked_in").asBoolean(false)) {
            Instant at = checkedInAt(a);
            ObjectNode attended = data.deepCopy();
            attended.put("checked_in", true);
            events.add(new NewFunnelEvent(EventbriteIntegration.EVENTBRITE, EventType.EVENT_ATTENDED, key, at, person, utm, attended));
        }
        return SyncRecord.mapped(id, null, created, events);
    }

    static SyncRecord order(JsonNode o) {
        String id = VendorText.id(o.path("id").asText(""));
        if (id.isEmpty()) {
            return SyncRecord.failed("order:(no id)", null, "order without an id");
        }
        String externalId = "order:" + id;
        String status = VendorText.clean(o.path("status").asText("")).toLowerCase(Locale.ROOT);
        Instant created = VendorText.instant(o, "created");
        if (!PLACED.contains(status)) {
            // Not bought (yet): nothing in the funnel; a later change to placed is read as a change.
            return SyncRecord.mapped(externalId, null, created, List.of());
        }
        Person person = VendorText.person(o.path("email").asText(""), o.path("first_name").asText(null),
                o.path("last_name").asText(null), null);
        if (person == null) {
            return SyncRecord.failed(externalId, null, "order " + id + " has no valid buyer email address");
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("event_id", VendorText.clean(o.path("event_id").asText("")));
        data.put("order_id", id);
        data.put("status", status);
        JsonNode gross = o.path("costs").path("gross");
        if (gross.hasNonNull("major_value")) {
            data.put("gross", VendorText.clean(gross.get("major_value").asText()));
            data.put("currency", VendorText.clean(gross.path("currency").asText("")));
        }
        Utm utm = utm(o);
        List<NewFunnelEvent> events = new ArrayList<>(2);
        events.add(new NewFunnelEvent(EventbriteIntegration.EVENTBRITE, EventType.TICKET_PURCHASED, id, created, person, utm, data));
        if (UNDONE.contains(status)) {
            events.add(new NewFunnelEvent(EventbriteIntegration.EVENTBRITE, EventType.TICKET_REFUNDED, id,
                    VendorText.instant(o, "changed"), person, utm, data));
        }
        return SyncRecord.mapped(externalId, null, created, events);
    }

    /** The {@code changed} time of a record, Eventbrite's cursor field. */
    static Instant changed(JsonNode record) {
        return VendorText.instant(record, "changed");
    }

    private static Utm utm(JsonNode record) {
        String affiliate = VendorText.blankToNull(record.path("affiliate").asText(null));
        return affiliate == null ? Utm.NONE : new Utm(affiliate, null, null, null, null);
    }

    /** When the attendee was checked in: the first used barcode's change, else the attendee's. */
    private static Instant checkedInAt(JsonNode a) {
        Instant first = null;
        for (JsonNode barcode : a.path("barcodes")) {
            Instant at = VendorText.instant(barcode, "changed");
            if ("used".equals(barcode.path("status").asText()) && at != null && (first == null || at.isBefore(first))) {
                first = at;
            }
        }
        return first != null ? first : VendorText.instant(a, "changed");
    }
}
