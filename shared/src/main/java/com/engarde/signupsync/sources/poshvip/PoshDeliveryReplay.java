package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.webhooks.DeliveryReport;
import com.engarde.signupsync.webhooks.DeliveryStatus;
import com.engarde.signupsync.webhooks.WebhookDeliveries;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;

/**
 * Posh.VIP's stored deliveries: listed, shown, and one replayed on demand. Replaying every delivery due is
 * Posh.VIP's sync, {@code POST /sync/poshvip} like every source's, carried out on the bus by the engine over
 * {@link PoshDeliverySource}. Idempotent: an event already written is not written again.
 */
@Singleton
public class PoshDeliveryReplay {

    public static final int MAX_LIST = 200;
    private static final Set<DeliveryStatus> ANY = Set.of(DeliveryStatus.values());

    private final WebhookDeliveries deliveries;
    private final PoshDeliveryProcessor processor;

    public PoshDeliveryReplay(WebhookDeliveries deliveries, PoshDeliveryProcessor processor) {
        this.deliveries = deliveries;
        this.processor = processor;
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
