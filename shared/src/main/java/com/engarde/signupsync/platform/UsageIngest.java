package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.InvalidInput;
import io.micronaut.core.annotation.Nullable;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.observability.ServiceMetric;
import com.engarde.signupsync.observability.ServiceMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * POST /usage/metrics: the En Garde backend's usage records, up to {@value #MAX_BATCH_SIZE} a batch. Each item
 * is validated on its own, as funnel events are; the valid ones are stored together, whatever the others
 * hold. Nothing here limits usage: every tenant's valid records are stored, the platform tenant's included.
 */
@Singleton
public class UsageIngest {

    public static final int MAX_BATCH_SIZE = 1000;
    /** Lambda's synchronous payload limit. */
    public static final long MAX_BODY_BYTES = 6 * 1024 * 1024;

    private final UsageRecordRequests requests;
    private final UsageWriter writer;
    private final ServiceMetrics metrics;

    public UsageIngest(UsageRecordRequests requests, UsageWriter writer, ServiceMetrics metrics) {
        this.requests = requests;
        this.writer = writer;
        this.metrics = metrics;
    }

    /**
     * The batch, read from a body by {@link JsonBodies#exactObject} within {@link #MAX_BODY_BYTES}: exact
     * decimals, so that a cost of 0.000001 stays that rather than the nearest double.
     */
    public Outcome record(ObjectNode body) {
        JsonNode items = body.get("records");
        if (items == null || !items.isArray()) {
            throw new InvalidInput("records", "records must be an array of usage records");
        }
        if (items.isEmpty() || items.size() > MAX_BATCH_SIZE) {
            throw new InvalidInput("records", "records must hold between 1 and " + MAX_BATCH_SIZE + " items");
        }
        Item[] results = new Item[items.size()];
        List<UsageRecord> valid = new ArrayList<>(items.size());
        List<Integer> validIndex = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            try {
                if (!item.isObject()) {
                    throw new InvalidInput(null, "each record must be a JSON object");
                }
                valid.add(requests.parse((ObjectNode) item));
                validIndex.add(i);
            } catch (InvalidInput e) {
                results[i] = Item.error(i, e);
            }
        }
        UsageWriter.Outcome stored = writer.write(valid);
        UsageWriter.Written[] written = stored.written();
        for (int j = 0; j < written.length; j++) {
            int i = validIndex.get(j);
            results[i] = switch (written[j]) {
                case CREATED -> new Item(i, "created", valid.get(j).idempotencyKey(), null, null, null);
                case DUPLICATE -> new Item(i, "duplicate", valid.get(j).idempotencyKey(), null, null, null);
                case BRAND_OF_ANOTHER_TENANT -> Item.error(i, new InvalidInput("brand_id",
                        "brand_id names a brand of another tenant"));
                case DAY_PAST_RETENTION -> Item.error(i, new InvalidInput("occurred_at",
                        "occurred_at falls on a day whose usage records are past their retention; its totals are final"));
            };
        }
        Outcome outcome = Outcome.of(List.of(results), stored.emailsSuppressed());
        metrics.add(ServiceMetric.USAGE_RECORDS_INGESTED, outcome.created());
        metrics.add(ServiceMetric.USAGE_RECORDS_REFUSED, outcome.errors());
        return outcome;
    }

    /** One record's outcome: {@code created}, {@code duplicate} (changed nothing) or {@code error}. */
    public record Item(int index, String status, @Nullable String idempotencyKey, @Nullable String error,
                       @Nullable String message, @Nullable String field) {
        static Item error(int index, InvalidInput e) {
            return new Item(index, "error", null, e.code(), e.getMessage(), e.field());
        }
    }

    /** {@code emailsSuppressed}: records naming an erased person, stored without the email. */
    public record Outcome(int created, int duplicates, int errors,
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
                          @io.swagger.v3.oas.annotations.media.Schema(description = "records naming an erased person:"
                                  + " stored without the email (usage still counts); left out when none") int emailsSuppressed,
                          List<Item> results) {
        static Outcome of(List<Item> results, int emailsSuppressed) {
            int created = (int) results.stream().filter(r -> r.status().equals("created")).count();
            int duplicates = (int) results.stream().filter(r -> r.status().equals("duplicate")).count();
            return new Outcome(created, duplicates, results.size() - created - duplicates, emailsSuppressed, results);
        }
    }
}
