package com.engarde.signupsync.sources.easyappointments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The EasyAppointments checkpoint, stored as the run's cursor:
 * {@code {"pass":"full|window","from":"2026-05-01","page":3,"last_id":2000,"pass_started_at":"...",
 * "last_full_pass_at":"...","done":false}}. {@code page} is the next page to read, {@code last_id} the highest
 * appointment id read in this pass, {@code from} the window's first day (window passes only).
 */
record EasyAppointmentsCursor(boolean full, LocalDate from, int page, long lastId, Instant passStartedAt,
                              Instant lastFullPassAt, boolean done) {

    static EasyAppointmentsCursor fullPass(Instant now, Instant lastFullPassAt) {
        return new EasyAppointmentsCursor(true, null, 1, 0, now, lastFullPassAt, false);
    }

    static EasyAppointmentsCursor windowPass(LocalDate from, Instant now, Instant lastFullPassAt) {
        return new EasyAppointmentsCursor(false, from, 1, 0, now, lastFullPassAt, false);
    }

    /** The cursor after a page whose highest id is {@code maxId}; a last page completes the pass. */
    EasyAppointmentsCursor after(long maxId, boolean last) {
        return new EasyAppointmentsCursor(full, from, page + 1, Math.max(lastId, maxId), passStartedAt,
                last && full ? passStartedAt : lastFullPassAt, last);
    }

    ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("pass", full ? "full" : "window");
        if (from != null) {
            node.put("from", from.toString());
        }
        node.put("page", page);
        node.put("last_id", lastId);
        node.put("pass_started_at", passStartedAt.toString());
        if (lastFullPassAt != null) {
            node.put("last_full_pass_at", lastFullPassAt.toString());
        }
        node.put("done", done);
        return node;
    }

    /** The stored cursor; null when there is none or it cannot be read (the next pass is then a full one). */
    static EasyAppointmentsCursor parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        try {
            boolean full = !"window".equals(node.path("pass").asText());
            LocalDate from = node.hasNonNull("from") ? LocalDate.parse(node.get("from").asText()) : null;
            if (!full && from == null) {
                return null;
            }
            Instant lastFull = node.hasNonNull("last_full_pass_at") ? Instant.parse(node.get("last_full_pass_at").asText()) : null;
            return new EasyAppointmentsCursor(full, from, Math.max(1, node.path("page").asInt(1)),
                    Math.max(0, node.path("last_id").asLong(0)), Instant.parse(node.path("pass_started_at").asText()),
                    lastFull, node.path("done").asBoolean(false));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
