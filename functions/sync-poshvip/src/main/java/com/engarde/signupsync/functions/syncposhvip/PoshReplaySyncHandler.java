package com.engarde.signupsync.functions.syncposhvip;

import com.engarde.signupsync.bus.SyncRequested;
import com.engarde.signupsync.bus.SyncRequestedHandler;
import com.engarde.signupsync.bus.Invocation;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.sources.poshvip.PoshDeliveryReplay;
import jakarta.inject.Singleton;

/** Posh.VIP's sync on the bus: a SyncRequested event replays the stored deliveries that are not settled. */
@Singleton
public class PoshReplaySyncHandler implements SyncRequestedHandler {

    private final PoshDeliveryReplay replay;

    public PoshReplaySyncHandler(PoshDeliveryReplay replay) {
        this.replay = replay;
    }

    @Override
    public String sourceType() {
        return SourceType.POSHVIP.id();
    }

    @Override
    public void handle(SyncRequested request, Invocation invocation) {
        replay.replayAll(request.trigger());
    }
}
