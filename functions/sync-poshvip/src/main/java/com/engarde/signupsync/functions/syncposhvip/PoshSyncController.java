package com.engarde.signupsync.functions.syncposhvip;

import com.engarde.signupsync.api.JsonFields;
import com.engarde.signupsync.api.QueryParameters;
import com.engarde.signupsync.sources.poshvip.PoshDeliveryReplay;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.webhooks.DeliveryReport;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

import java.util.List;

/**
 * Posh.VIP's sync (a replay of stored deliveries) and the stored deliveries themselves. Parameters are read
 * as text and checked here (see {@link QueryParameters}), so that no value reaches the framework's binder.
 */
@Controller("/sync/poshvip")
@Consumes(MediaType.ALL)
public class PoshSyncController {

    private final PoshDeliveryReplay replay;

    public PoshSyncController(PoshDeliveryReplay replay) {
        this.replay = replay;
    }

    /** Replays every failed or unsettled delivery; with {@code delivery_id}, that one delivery. */
    @Post
    public Object sync(HttpRequest<?> request) {
        Long deliveryId = QueryParameters.id(request, "delivery_id");
        return deliveryId == null ? replay.replayAll(SyncTrigger.MANUAL) : replay.replayOne(deliveryId);
    }

    @Get("/deliveries")
    public List<DeliveryReport> deliveries(HttpRequest<?> request) {
        return replay.recent(QueryParameters.text(request, "status", 40),
                QueryParameters.between(request, "limit", 1, PoshDeliveryReplay.MAX_LIST),
                QueryParameters.id(request, "before_id"));
    }

    @Get("/deliveries/{id}")
    public DeliveryReport delivery(@PathVariable String id) {
        return replay.one(JsonFields.positiveId("delivery_id", id));
    }
}
