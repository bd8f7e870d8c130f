package com.engarde.signupsync.sync;

import java.time.Instant;

/**
 * A source record as the engine last wrote it: its listing key and time, the fingerprints of what it mapped to and
 * of its raw form (null when not known), and whether the source deleted it.
 */
public record KnownRecord(String externalId, SortKey sortKey, Instant happensAt, byte[] fingerprint, Instant deletedAt,
                          byte[] rawFingerprint) {

    public boolean deleted() {
        return deletedAt != null;
    }

    /** Whether the record, as last written and not deleted since, came from this raw form (see {@link RawFingerprint}). */
    public boolean sameRaw(byte[] raw) {
        return !deleted() && raw != null && rawFingerprint != null && java.util.Arrays.equals(rawFingerprint, raw);
    }
}
