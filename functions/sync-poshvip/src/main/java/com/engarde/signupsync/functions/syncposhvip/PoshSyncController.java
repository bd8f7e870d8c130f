package com.engarde.signupsync.functions.syncposhvip;

import com.engarde.signupsync.sources.poshvip.PoshDeliveryProcessor;
import com.engarde.signupsync.sources.poshvip.PoshDeliveryReplay;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.webhooks.DeliveryReport;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

import java.util.List;

/** Posh.VIP's sync (a replay of stored deliveries) and the stored deliveries themselves. */
@Controller("/sync/poshvip")
@Consumes(MediaType.ALL)
public class PoshSyncController {

    private final PoshDeliveryReplay replay;

    public PoshSyncController(PoshDeliveryReplay replay) {
        this.replay = replay;
    }

    /** Replays every failed or unsettled delivery; with {@code delivery_id}, that one delivery. */
    @Post
    public Object sync(@QueryValue("delivery_id") @Nullable Long deliveryId) {
        return deliveryId == null ? replay.replayAll(SyncTrigger.MANUAL) : replay.replayOne(deliveryId);
    }

    @Get("/deliveries")
    public List<DeliveryReport> deliveries(@QueryValue @Nullable String status, @QueryValue @Nullable Integer limit,
                                           @QueryValue("before_id") @Nullable Long beforeId) {
        return replay.recent(status, limit, beforeId);
    }

    @Get("/deliveries/{id}")
    public DeliveryReport delivery(@PathVariable long id) {
        return replay.one(id);
    }
}
