package com.engarde.signupsync.bus;

/**
 * Told about a request the in-process bus could not hand to any handler, so its run can end at once instead
 * of going stale (in AWS an unmatched event is dropped and the run's heartbeat tells). The sync engine
 * implements it; the bus knows nothing of runs.
 */
public interface UndeliveredRequests {

    void undelivered(SyncRequested request, String reason);
}
