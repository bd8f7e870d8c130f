package com.engarde.signupsync.sync;

/** How the engine may notice that a source deleted a record: a connector declares one. */
public enum Deletions {
    /** The source never deletes, or its listing cannot tell: stored records stay as they are. */
    NONE,
    /**
     * The listing is sorted by {@link SyncRecord#sortKey()} and each page declares the key range it covers
     * completely ({@link SyncPage#range()}): a stored record inside a page's range that the page did not list
     * is a candidate, put to {@link SyncPass#resolveMissing}.
     */
    SORTED_LISTING,
    /**
     * A pass lists everything the source has: a stored record not listed by a finished pass is a candidate, put
     * to {@link SyncPass#resolveMissing} with the pass's last page. Noticed when one invocation read the pass from
     * its first page to its last (the source's first run, or a run after one that succeeded); a pass split by the
     * time budget or a crash notices none (the next whole one does).
     */
    COMPLETE_SNAPSHOT
}
