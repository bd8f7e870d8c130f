package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.api.ApiException;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.sync.SyncCounts;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncRunLog;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.webhooks.DeliveryReport;
import com.engarde.signupsync.webhooks.DeliveryStatus;
import com.engarde.signupsync.webhooks.WebhookDeliveries;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Posh.VIP's sync: it has no API to pull from, so its sync re-processes the deliveries already stored that are
 * {@code failed} or were never settled, for example after a mapping fix. Idempotent: an event already written
 * is not written again. Logged in the sync run log like every source's sync.
 */
@Singleton
public class PoshDeliveryReplay {

    static final int PAGE_SIZE = 100;
    public static final int MAX_LIST = 200;
    private static final Logger LOG = LoggerFactory.getLogger(PoshDeliveryReplay.class);
    private static final Set<DeliveryStatus> REPLAYABLE = Set.of(DeliveryStatus.RECEIVED, DeliveryStatus.FAILED);
    private static final Set<DeliveryStatus> ANY = Set.of(DeliveryStatus.values());

    private final WebhookDeliveries deliveries;
    private final PoshDeliveryProcessor processor;
    private final SyncRunLog runs;
    private final Database database;
    private final Clock clock;
    private final Duration budget;

    public PoshDeliveryReplay(WebhookDeliveries deliveries, PoshDeliveryProcessor processor, SyncRunLog runs,
                              Database database, Clock clock,
                              @Value("${poshvip.replay.time-budget:25s}") Duration budget) {
        this.deliveries = deliveries;
        this.processor = processor;
        this.runs = runs;
        this.database = database;
        this.clock = clock;
        this.budget = budget;
    }

    /** A sync's answer: the run, and whether this request started it or found it already running. */
    public record Replay(boolean started, SyncRun run) {
    }

    /**
     * Replays every replayable delivery, oldest first, within the time budget; what is left when it runs out
     * is picked up by the next run (the run's cursor says how far it got). One delivery's failure does not
     * stop the others.
     * Counts: fetched = deliveries replayed; created = now processed with new funnel events; updated = now
     * settled without a new event (processed with events already there, or ignored); unchanged = settled by
     * someone else meanwhile; failed = still failed.
     */
    public Replay replayAll(SyncTrigger trigger) {
        SyncRunLog.Start start = runs.start(PoshDeliveryProcessor.SOURCE, trigger, null);
        if (!start.started()) {
            return new Replay(false, start.run());
        }
        long runId = start.run().id();
        Instant deadline = clock.instant().plus(budget);
        long after = 0;
        int failed = 0;
        boolean outOfTime = false;
        try {
            while (true) {
                List<Long> page = deliveries.pending(PoshDeliveryProcessor.SOURCE, after, PAGE_SIZE);
                if (page.isEmpty()) {
                    break;
                }
                SyncCounts counts = SyncCounts.ZERO;
                for (long id : page) {
                    if (clock.instant().isAfter(deadline)) {
                        outOfTime = true;
                        break;
                    }
                    counts = counts.plus(count(processor.process(id, REPLAYABLE).orElse(null)));
                    after = id;
                }
                failed += counts.failed();
                SyncCounts pageCounts = counts;
                long cursor = after;
                database.transaction(connection -> {
                    runs.progress(connection, runId, pageCounts,
                            JsonNodeFactory.instance.objectNode().put("after_delivery_id", cursor));
                    return null;
                });
                if (outOfTime) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Posh.VIP replay run {} failed", runId, e);
            runs.finish(runId, SyncStatus.FAILED, "replay stopped after delivery " + after + ": "
                    + e.getClass().getSimpleName());
            throw e;
        }
        String message = outOfTime ? "time budget spent; deliveries after " + after + " wait for the next run"
                : failed > 0 ? failed + " deliveries still fail; see GET /sync/poshvip/deliveries?status=failed"
                : null;
        return new Replay(true, runs.finish(runId, failed > 0 || outOfTime ? SyncStatus.PARTIAL : SyncStatus.SUCCEEDED,
                message));
    }

    private static SyncCounts count(PoshDeliveryProcessor.Outcome outcome) {
        if (outcome == null || !outcome.settledNow()) {
            return new SyncCounts(1, 0, 0, 1, 0);
        }
        if (outcome.status() == DeliveryStatus.FAILED) {
            return new SyncCounts(1, 0, 0, 0, 1);
        }
        if (outcome.eventsCreated() > 0) {
            return new SyncCounts(1, 1, 0, 0, 0);
        }
        return new SyncCounts(1, 0, 1, 0, 0);
    }

    /** Re-processes one delivery whatever its status (a processed one changes nothing: writes are idempotent). */
    public PoshDeliveryProcessor.Outcome replayOne(long deliveryId) {
        return processor.process(deliveryId, ANY).orElseThrow(() -> notFound(deliveryId));
    }

    /** Recent deliveries, newest first, without their bodies. */
    public List<DeliveryReport> recent(String status, Integer limit, Long beforeId) {
        DeliveryStatus wanted = null;
        if (status != null && !status.isBlank()) {
            wanted = DeliveryStatus.fromId(status.strip()).orElseThrow(() -> ApiException.invalid("status",
                    "status must be one of " + DeliveryStatus.NAMES));
        }
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > MAX_LIST) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIST);
        }
        return deliveries.recent(PoshDeliveryProcessor.SOURCE, wanted, beforeId, n).stream()
                .map(DeliveryReport::of).toList();
    }

    /** One delivery with its raw body, as received. */
    public DeliveryReport one(long deliveryId) {
        return deliveries.find(PoshDeliveryProcessor.SOURCE, deliveryId, true).map(DeliveryReport::of)
                .orElseThrow(() -> notFound(deliveryId));
    }

    private static ApiException notFound(long deliveryId) {
        return ApiException.notFound("delivery_id", "no Posh.VIP delivery has id " + deliveryId);
    }
}
