package com.engarde.signupsync.sync;

/** What a run (or one page of it) did with the records it fetched. */
public record SyncCounts(int fetched, int created, int updated, int unchanged, int failed) {

    public static final SyncCounts ZERO = new SyncCounts(0, 0, 0, 0, 0);

    public SyncCounts plus(SyncCounts other) {
        return new SyncCounts(fetched + other.fetched, created + other.created, updated + other.updated,
                unchanged + other.unchanged, failed + other.failed);
    }
}
