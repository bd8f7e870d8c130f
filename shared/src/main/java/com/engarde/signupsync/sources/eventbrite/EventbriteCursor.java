package com.engarde.signupsync.sources.eventbrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The Eventbrite checkpoint: {@code {"organization":"123","stage":0,"continuation":"...","attendees":{"since":
 * "...","newest":"..."},"orders":{...},"done":false}}. A pass reads the organization's attendees (stage 0), then
 * its orders (stage 1), each changed on or after its {@code since}; {@code continuation} resumes the current
 * listing. {@code newest} is the latest {@code changed} read from that listing, in any pass: the next pass asks
 * from {@code newest - overlap}, so a change Eventbrite lists late (eventual consistency) is still read, and a
 * record changed exactly at the boundary is read again (and found unchanged). Eventbrite's own times are the
 * cursor, never this service's clock.
 */
record EventbriteCursor(String organization, int stage, String continuation, List<Listing> listings, boolean done) {

    static final List<String> LISTINGS = List.of("attendees", "orders");
    static final int ORDERS = 1;

    /** One listing's window: asked from {@code since} (null: everything) in this pass, newest change read. */
    record Listing(Instant since, Instant newest) {
        Listing seen(Instant changed) {
            return changed == null || (newest != null && !changed.isAfter(newest)) ? this : new Listing(since, changed);
        }
    }

    /**
     * The pass after {@code previous} (null: the first) over {@code organization}: each listing from its newest
     * change less {@code overlap}; everything when the organization is another than the one read before.
     */
    static EventbriteCursor start(EventbriteCursor previous, String organization, Duration overlap) {
        List<Listing> listings = LISTINGS.stream().map(l -> new Listing(null, null)).toList();
        if (previous != null && organization.equals(previous.organization())) {
            listings = previous.listings().stream()
                    .map(l -> new Listing(l.newest() == null ? null : l.newest().minus(overlap), l.newest())).toList();
        }
        return new EventbriteCursor(organization, 0, null, listings, false);
    }

    Listing listing() {
        return listings.get(stage);
    }

    /** The current listing goes on at {@code next} (null: it is over, on to the next listing or the end). */
    EventbriteCursor after(String next, Instant newestChanged) {
        List<Listing> updated = new java.util.ArrayList<>(listings);
        updated.set(stage, listing().seen(newestChanged));
        if (next != null) {
            return new EventbriteCursor(organization, stage, next, List.copyOf(updated), false);
        }
        int following = stage + 1;
        return new EventbriteCursor(organization, Math.min(following, LISTINGS.size() - 1), null, List.copyOf(updated),
                following >= LISTINGS.size());
    }

    /** The current listing from its first page again (its continuation was refused). */
    EventbriteCursor restartListing() {
        return new EventbriteCursor(organization, stage, null, listings, false);
    }

    ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("organization", organization);
        node.put("stage", stage);
        if (continuation != null) {
            node.put("continuation", continuation);
        }
        for (int i = 0; i < LISTINGS.size(); i++) {
            ObjectNode l = node.putObject(LISTINGS.get(i));
            Listing listing = listings.get(i);
            if (listing.since() != null) {
                l.put("since", listing.since().toString());
            }
            if (listing.newest() != null) {
                l.put("newest", listing.newest().toString());
            }
        }
        node.put("done", done);
        return node;
    }

    /** The stored cursor; null when there is none or it cannot be read (then everything is read again). */
    static EventbriteCursor parse(JsonNode node) {
        if (node == null || !node.isObject() || !node.hasNonNull("organization")) {
            return null;
        }
        try {
            List<Listing> listings = LISTINGS.stream().map(name -> new Listing(time(node.path(name), "since"),
                    time(node.path(name), "newest"))).toList();
            int stage = Math.min(LISTINGS.size() - 1, Math.max(0, node.path("stage").asInt(0)));
            String continuation = node.hasNonNull("continuation") ? node.get("continuation").asText() : null;
            return new EventbriteCursor(node.get("organization").asText(), stage, continuation, listings,
                    node.path("done").asBoolean(false));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant time(JsonNode node, String field) {
        return node.hasNonNull(field) ? Instant.parse(node.get(field).asText()) : null;
    }
}
