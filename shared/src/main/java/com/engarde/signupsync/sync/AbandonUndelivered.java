package com.engarde.signupsync.sync;

import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.bus.SyncRequested;
import com.engarde.signupsync.bus.UndeliveredRequests;
import jakarta.inject.Singleton;

/** A request no handler took fails its (still unclaimed) run with the reason. */
@Singleton
class AbandonUndelivered implements UndeliveredRequests {

    private final SyncRunLog runs;

    AbandonUndelivered(SyncRunLog runs) {
        this.runs = runs;
    }

    @Override
    public void undelivered(SyncRequested request, String reason) {
        if (request.runId() != null) {
            runs.abandon(request.runId(), reason);
        }
    }
}
