package com.engarde.signupsync.sync;

import java.time.Instant;

/** A source record as the engine last wrote it (sync_records). */
public record KnownRecord(String externalId, Long sortKey, Instant happensAt, byte[] fingerprint, Instant deletedAt) {

    public boolean deleted() {
        return deletedAt != null;
    }
}
