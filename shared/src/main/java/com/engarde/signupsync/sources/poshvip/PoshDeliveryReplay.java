package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.webhooks.DeliveryReport;
import com.engarde.signupsync.webhooks.DeliveryStatus;
import com.engarde.signupsync.webhooks.WebhookDeliveries;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Posh.VIP's sync: it has no API to pull from, so its sync re-processes the deliveries already stored that are
 * {@code failed} or were never settled, for example after a mapping fix. The replay is a source on the sync
 * engine ({@link PoshDeliverySource}): the engine claims the run, checkpoints each page, keeps the budget and
 * hands over to a continuation, as for every source. Idempotent: an event already written is not written again.
 */
@Singleton
public class PoshDeliveryReplay {

    public static final int MAX_LIST = 200;
    private static final Set<DeliveryStatus> ANY = Set.of(DeliveryStatus.values());

    private final WebhookDeliveries deliveries;
    private final PoshDeliveryProcessor processor;
    private final PoshDeliverySource source;
    private final SyncEngine engine;
    private final Clock clock;
    private final Duration budget;

    public PoshDeliveryReplay(WebhookDeliveries deliveries, PoshDeliveryProcessor processor, PoshDeliverySource source,
                              SyncEngine engine, Clock clock,
                              @Value("${poshvip.replay.time-budget:25s}") Duration budget) {
        this.deliveries = deliveries;
        this.processor = processor;
        this.source = source;
        this.engine = engine;
        this.clock = clock;
        this.budget = budget;
    }

    /** A sync's answer: the run, and whether this request started it or found it already running. */
    public record Replay(boolean started, SyncRun run) {
    }

    /**
     * Replays the deliveries due, in id order from the last checkpoint, within this request's time budget;
     * what is left then is carried on by a continuation run over the bus. One delivery's failure does not
     * stop the others: it is a failed record of the run, with its reason.
     */
    public Replay replayAll(SyncTrigger trigger) {
        SyncEngine.CarriedOut carried = engine.runHere(source, trigger, new TimeBudget(clock.instant().plus(budget)));
        return new Replay(carried.started(), carried.run());
    }

    /** Re-processes one delivery whatever its status (a processed one changes nothing: writes are idempotent). */
    public PoshDeliveryProcessor.Outcome replayOne(long deliveryId) {
        return processor.process(deliveryId, ANY).orElseThrow(() -> notFound(deliveryId));
    }

    /** Recent deliveries, newest first, without their bodies. */
    public List<DeliveryReport> recent(String status, Integer limit, Long beforeId) {
        DeliveryStatus wanted = null;
        if (status != null && !status.isBlank()) {
            wanted = DeliveryStatus.fromId(status.strip()).orElseThrow(() -> new InvalidInput("status",
                    "status must be one of " + DeliveryStatus.NAMES));
        }
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > MAX_LIST) {
            throw new InvalidInput("limit", "limit must be between 1 and " + MAX_LIST);
        }
        return deliveries.recent(PoshDeliveryProcessor.SOURCE, wanted, beforeId, n).stream()
                .map(DeliveryReport::of).toList();
    }

    /** One delivery with its raw body, as received. */
    public DeliveryReport one(long deliveryId) {
        return deliveries.find(PoshDeliveryProcessor.SOURCE, deliveryId, true).map(DeliveryReport::of)
                .orElseThrow(() -> notFound(deliveryId));
    }

    private static NotFound notFound(long deliveryId) {
        return new NotFound("delivery_id", "no Posh.VIP delivery has id " + deliveryId);
    }
}
