package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.SortKey;
import com.engarde.signupsync.sync.SyncPage;
import com.engarde.signupsync.sync.SyncPass;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.webhooks.DeliveryStatus;
import com.engarde.signupsync.webhooks.WebhookDeliveries;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Posh.VIP's stored deliveries as a source on the sync engine: the replay of those still received (never
 * settled) or failed, in delivery id order, so it gets the engine's claim, heartbeat, checkpoint, budget and
 * continuation. The checkpoint is {@code {"after_delivery_id": n, "done": false}}: a run resumes after the last
 * delivery it settled, not at the oldest, and a finished pass starts the next one from the beginning.
 * <p>
 * Processing a delivery is its "fetch": the processor settles it and writes its events in its own
 * transaction (idempotent), and the engine counts it. A delivery that fails again is a failed record with its
 * reason; it is retried by a later pass once its backoff (doubling with each attempt, see
 * {@link WebhookDeliveries#due}) has passed, so it is not re-run before everything else forever. Deliveries
 * are never deleted at the source, so the engine looks for no deletions.
 */
@Singleton
public class PoshDeliverySource implements SyncSource {

    static final int PAGE_SIZE = 100;
    private static final Set<DeliveryStatus> REPLAYABLE = Set.of(DeliveryStatus.RECEIVED, DeliveryStatus.FAILED);

    private final WebhookDeliveries deliveries;
    private final PoshDeliveryProcessor processor;
    private final Clock clock;

    public PoshDeliverySource(WebhookDeliveries deliveries, PoshDeliveryProcessor processor, Clock clock) {
        this.deliveries = deliveries;
        this.processor = processor;
        this.clock = clock;
    }

    @Override
    public String sourceType() {
        return SourceType.POSHVIP.id();
    }

    @Override
    public Deletions deletions() {
        return Deletions.NONE;
    }

    @Override
    public SyncPass open(JsonNode checkpoint) {
        boolean resume = checkpoint != null && !checkpoint.path("done").asBoolean(true);
        return new Pass(resume ? checkpoint.path("after_delivery_id").asLong(0) : 0);
    }

    private final class Pass implements SyncPass {
        private long after;
        private int number;

        Pass(long after) {
            this.after = after;
        }

        @Override
        public SyncPage next(TimeBudget budget) {
            List<Long> due = deliveries.due(PoshDeliveryProcessor.SOURCE, after, PAGE_SIZE, clock.instant());
            List<SyncRecord> records = new ArrayList<>(due.size());
            for (long id : due) {
                if (!budget.allows(clock.instant(), java.time.Duration.ZERO)) {
                    break;
                }
                records.add(record(id, processor.process(id, REPLAYABLE).orElse(null)));
                after = id;
            }
            boolean last = due.size() < PAGE_SIZE && records.size() == due.size();
            number++;
            JsonNode cursor = JsonNodeFactory.instance.objectNode().put("after_delivery_id", last ? 0 : after)
                    .put("done", last);
            return new SyncPage(number, records, null, cursor, last);
        }
    }

    private static SyncRecord record(long id, PoshDeliveryProcessor.Outcome outcome) {
        String externalId = Long.toString(id);
        if (outcome != null && outcome.status() == DeliveryStatus.FAILED) {
            return SyncRecord.failed(externalId, SortKey.of(id), outcome.reason());
        }
        // Settled (processed or ignored), by this run or meanwhile by another: its events are written.
        return SyncRecord.mapped(externalId, SortKey.of(id), null, List.of());
    }
}
