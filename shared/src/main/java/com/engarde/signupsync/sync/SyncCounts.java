package com.engarde.signupsync.sync;

/**
 * What a run (or one page of it) did with the records it fetched. {@code suppressed}: records of a person on the
 * suppression list (erased or opted out), which are never written and are not failures.
 */
public record SyncCounts(int fetched, int created, int updated, int unchanged, int failed, int suppressed) {

    public static final SyncCounts ZERO = new SyncCounts(0, 0, 0, 0, 0, 0);

    /** Counts with nothing suppressed. */
    public SyncCounts(int fetched, int created, int updated, int unchanged, int failed) {
        this(fetched, created, updated, unchanged, failed, 0);
    }

    public SyncCounts plus(SyncCounts other) {
        return new SyncCounts(fetched + other.fetched, created + other.created, updated + other.updated,
                unchanged + other.unchanged, failed + other.failed, suppressed + other.suppressed);
    }
}
