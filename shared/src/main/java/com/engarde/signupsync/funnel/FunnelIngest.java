package com.engarde.signupsync.funnel;

import com.engarde.signupsync.failure.InvalidInput;
import io.micronaut.core.annotation.Nullable;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.persistence.DatabaseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** POST /funnel/event and POST /funnel/events: validate what the backend sends and store it idempotently. */
@Singleton
public class FunnelIngest {

    public static final long MAX_EVENT_BODY_BYTES = 256 * 1024;
    /** Lambda's synchronous payload limit; 500 events of 32 KB data would not fit in any case. */
    public static final long MAX_BATCH_BODY_BYTES = 6 * 1024 * 1024;
    public static final int MAX_BATCH_SIZE = 500;

    private final JsonBodies bodies;
    private final FunnelEventRequests requests;
    private final FunnelEventWriter writer;

    public FunnelIngest(JsonBodies bodies, FunnelEventRequests requests, FunnelEventWriter writer) {
        this.bodies = bodies;
        this.requests = requests;
        this.writer = writer;
    }

    /** One event, read from a body by {@link JsonBodies#object} within {@link #MAX_EVENT_BODY_BYTES}. */
    public WrittenEvent record(ObjectNode body) {
        NewFunnelEvent event = requests.parse(body);
        return writer.write(List.of(event)).get(0);
    }

    /**
     * Each item is validated on its own; the valid ones are stored together, whatever the others hold. The
     * body is read by {@link JsonBodies#envelope} within {@link #MAX_BATCH_BODY_BYTES}: items are checked here.
     */
    public BatchOutcome recordBatch(ObjectNode body) {
        JsonNode items = body.get("events");
        if (items == null || !items.isArray()) {
            throw new InvalidInput("events", "events must be an array of event objects");
        }
        if (items.isEmpty() || items.size() > MAX_BATCH_SIZE) {
            throw new InvalidInput("events", "events must hold between 1 and " + MAX_BATCH_SIZE + " items");
        }
        BatchItem[] results = new BatchItem[items.size()];
        List<NewFunnelEvent> valid = new ArrayList<>(items.size());
        List<Integer> validIndex = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            try {
                if (!item.isObject()) {
                    throw new InvalidInput(null, "each event must be a JSON object");
                }
                bodies.storable((ObjectNode) item);
                valid.add(requests.parse((ObjectNode) item));
                validIndex.add(i);
            } catch (InvalidInput e) {
                results[i] = BatchItem.error(i, e);
            }
        }
        try {
            List<WrittenEvent> written = writer.write(valid);
            for (int j = 0; j < written.size(); j++) {
                int i = validIndex.get(j);
                results[i] = BatchItem.written(i, written.get(j));
            }
        } catch (DatabaseException e) {
            if (!e.refusedData() || valid.size() < 2) {
                throw e;
            }
            // The set-wise write is all or nothing; one item the database refuses must fail alone.
            for (int j = 0; j < valid.size(); j++) {
                int i = validIndex.get(j);
                try {
                    results[i] = BatchItem.written(i, writer.write(List.of(valid.get(j))).get(0));
                } catch (DatabaseException one) {
                    if (!one.refusedData()) {
                        throw one;
                    }
                    results[i] = BatchItem.error(i, new InvalidInput(null,
                            "this event holds " + DatabaseException.refusedValue(one.sqlState())));
                }
            }
        }
        return BatchOutcome.of(List.of(results));
    }

    /**
     * One item's outcome: {@code created} or {@code duplicate} with the stored event's and lead's ids,
     * {@code suppressed} (the person was erased: nothing written), or {@code error}. Ids rather than whole events keep a 500-item answer small.
     */
    public record BatchItem(int index, String status, @Nullable Long eventId, @Nullable Long leadId,
                            @Nullable String error, @Nullable String message, @Nullable String field) {
        static BatchItem written(int index, WrittenEvent w) {
            if (w.suppressed()) {
                return new BatchItem(index, "suppressed", null, null, null, null, null);
            }
            return new BatchItem(index, w.created() ? "created" : "duplicate", w.event().id(), w.event().leadId(),
                    null, null, null);
        }

        static BatchItem error(int index, InvalidInput e) {
            return new BatchItem(index, "error", null, null, e.code(), e.getMessage(), e.field());
        }
    }

    /** {@code suppressed}: items about an erased person, not written (not errors). */
    public record BatchOutcome(int created, int duplicates, int errors,
                               @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
                               @io.swagger.v3.oas.annotations.media.Schema(description = "items about an erased person:"
                                       + " nothing written; left out when none") int suppressed,
                               List<BatchItem> results) {
        static BatchOutcome of(List<BatchItem> results) {
            int created = 0;
            int duplicates = 0;
            int errors = 0;
            int suppressed = 0;
            for (BatchItem item : results) {
                switch (item.status()) {
                    case "created" -> created++;
                    case "duplicate" -> duplicates++;
                    case "suppressed" -> suppressed++;
                    default -> errors++;
                }
            }
            return new BatchOutcome(created, duplicates, errors, suppressed, results);
        }
    }
}
