package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.FailedRecord;
import com.engarde.signupsync.sync.SortKey;
import com.engarde.signupsync.sync.SyncPage;
import com.engarde.signupsync.sync.SyncPass;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.webhooks.DeliveryStatus;
import com.engarde.signupsync.webhooks.WebhookDeliveries;
import com.engarde.signupsync.webhooks.WebhookDelivery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Posh.VIP's stored deliveries as a source on the sync engine: the replay of those still received (never
 * settled) or failed, in delivery id order, so it gets the engine's claim, heartbeat, checkpoint, budget and
 * continuation. The checkpoint is {@code {"after_delivery_id": n, "done": false}}: a run resumes after the last
 * delivery of the last page written, not at the oldest, and a finished pass starts the next one from the
 * beginning.
 * <p>
 * A delivery is mapped when its page is fetched; the engine writes its events in the page's transaction, and
 * {@link SyncPass#written} settles the delivery in that same transaction (processed, ignored, or failed with
 * its reason, including a record the database refused), so events and status commit together. A delivery
 * that fails again is a failed record of the run; a later pass retries it once its backoff (doubling with each
 * attempt, see {@link WebhookDeliveries#due}) has passed, so it is not re-run before everything else forever.
 * Deliveries are never deleted at the source: {@link Deletions#NONE}.
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
        return PoshIntegration.POSHVIP.id();
    }

    @Override
    public Deletions deletions() {
        return Deletions.NONE;
    }

    @Override
    public boolean readsVendor() {
        return false;
    }

    @Override
    public SyncPass open(JsonNode checkpoint) {
        boolean resume = checkpoint != null && !checkpoint.path("done").asBoolean(true);
        return new Pass(resume ? checkpoint.path("after_delivery_id").asLong(0) : 0);
    }

    /** How a delivery of a fetched page settles once its page is written (unless the database refuses it). */
    private record Settlement(DeliveryStatus status, String reason) {
    }

    private final class Pass implements SyncPass {
        private long after;
        private int number;
        /**
         * Settlements of the pages fetched and not yet known written, by page number and delivery id (fetch and
         * write run on two threads; a page's write may be tried twice, record by record the second time).
         */
        private final Map<Integer, Map<String, Settlement>> pending = new ConcurrentHashMap<>();

        Pass(long after) {
            this.after = after;
        }

        @Override
        public SyncPage next(TimeBudget budget) {
            List<Long> due = deliveries.due(PoshDeliveryProcessor.SOURCE, after, PAGE_SIZE, clock.instant());
            List<SyncRecord> records = new ArrayList<>(due.size());
            Map<String, Settlement> settlements = new HashMap<>();
            int taken = 0;
            for (long id : due) {
                if (!budget.allows(clock.instant(), Duration.ZERO)) {
                    break;
                }
                taken++;
                after = id;
                deliveries.find(PoshDeliveryProcessor.SOURCE, id, true)
                        .ifPresent(delivery -> records.add(record(delivery, settlements)));
            }
            boolean last = due.size() < PAGE_SIZE && taken == due.size();
            number++;
            pending.put(number, settlements);
            JsonNode cursor = JsonNodeFactory.instance.objectNode().put("after_delivery_id", last ? 0 : after)
                    .put("done", last);
            return new SyncPage(number, records, null, cursor, last);
        }

        private SyncRecord record(WebhookDelivery delivery, Map<String, Settlement> settlements) {
            String externalId = Long.toString(delivery.id());
            SortKey key = SortKey.of(delivery.id());
            if (!REPLAYABLE.contains(delivery.status())) {
                // Settled meanwhile (by the receiver): its events are written; nothing to replay.
                return SyncRecord.mapped(externalId, key, null, List.of());
            }
            PoshMapping mapping = processor.map(delivery);
            if (mapping instanceof PoshMapping.Failed failed) {
                settlements.put(externalId, new Settlement(DeliveryStatus.FAILED, failed.reason()));
                return SyncRecord.failed(externalId, key, failed.reason());
            }
            if (mapping instanceof PoshMapping.Ignored ignored) {
                settlements.put(externalId, new Settlement(DeliveryStatus.IGNORED, ignored.reason()));
                return SyncRecord.mapped(externalId, key, null, List.of());
            }
            settlements.put(externalId, new Settlement(DeliveryStatus.PROCESSED, null));
            return SyncRecord.mapped(externalId, key, null, ((PoshMapping.Events) mapping).events());
        }

        @Override
        public void written(Connection connection, SyncPage page, List<FailedRecord> failed) throws SQLException {
            // Earlier pages were committed: a page is written only after the one before it.
            pending.keySet().removeIf(n -> n < page.number());
            Map<String, Settlement> settlements = pending.getOrDefault(page.number(), Map.of());
            Map<String, String> refused = new HashMap<>();
            failed.forEach(f -> refused.put(f.externalId(), f.reason()));
            for (Map.Entry<String, Settlement> e : settlements.entrySet()) {
                String reason = refused.get(e.getKey());
                Settlement settlement = reason == null ? e.getValue() : new Settlement(DeliveryStatus.FAILED, reason);
                deliveries.settleUnsettled(connection, Long.parseLong(e.getKey()), settlement.status(),
                        settlement.reason(), clock.instant());
            }
        }
    }
}
