package com.engarde.signupsync.sync;

import java.time.Instant;

/** A source record as the engine last wrote it: its listing key and time, and whether the source deleted it. */
public record KnownRecord(String externalId, SortKey sortKey, Instant happensAt, byte[] fingerprint, Instant deletedAt) {

    public boolean deleted() {
        return deletedAt != null;
    }
}
