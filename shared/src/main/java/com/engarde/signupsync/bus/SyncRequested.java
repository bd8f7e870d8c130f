package com.engarde.signupsync.bus;

import com.engarde.signupsync.manifest.SyncBus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * "Sync this source": the one event on the {@value SyncBus#NAME} bus. Its detail is
 * {@code {"source_type":"easyappointments","trigger":"schedule|manual|continuation","run_id":42}}, with
 * {@code source} {@value SyncBus#SOURCE} and {@code detail-type} {@value SyncBus#SYNC_REQUESTED}; the CDK rules match on
 * those and on {@code detail.source_type}. {@code runId} names the run the receiver should carry out; null
 * asks the receiver to start (or join) one itself. {@code notBefore} ({@code "not_before"}, ISO-8601) is set
 * on a continuation that waits for a vendor's quota to reset: it is not to be carried out before then.
 */
public record SyncRequested(String sourceType, SyncTrigger trigger, Long runId, Instant notBefore) {

    public SyncRequested {
        if (sourceType == null || sourceType.isBlank()) {
            throw new IllegalArgumentException("source_type is required");
        }
        if (trigger == null) {
            throw new IllegalArgumentException("trigger is required");
        }
    }

    public SyncRequested(String sourceType, SyncTrigger trigger, Long runId) {
        this(sourceType, trigger, runId, null);
    }

    /** True when the event may not be carried out yet at {@code now}. */
    public boolean waitsAt(Instant now) {
        return notBefore != null && now.isBefore(notBefore);
    }

    /** The event's detail, spelled the same whatever the application's JSON naming settings are. */
    public ObjectNode detail() {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("source_type", sourceType);
        detail.put("trigger", trigger.id());
        if (runId == null) {
            detail.putNull("run_id");
        } else {
            detail.put("run_id", runId);
        }
        if (notBefore != null) {
            detail.put("not_before", notBefore.toString());
        }
        return detail;
    }

    public static SyncRequested fromDetail(JsonNode detail) {
        JsonNode runId = detail.path("run_id");
        Instant notBefore = null;
        if (detail.hasNonNull("not_before")) {
            try {
                notBefore = Instant.parse(detail.get("not_before").asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not_before must be an ISO-8601 instant");
            }
        }
        return new SyncRequested(detail.path("source_type").asText(null),
                SyncTrigger.fromId(detail.path("trigger").asText("manual")),
                runId.canConvertToLong() ? runId.longValue() : null, notBefore);
    }
}
