package com.engarde.signupsync.sync;

import com.engarde.signupsync.http.TimeBudget;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * One pass over a source's listing, page by page. {@link #next} is called from one thread at a time; the
 * engine may fetch the next page while it writes the previous one, so {@link #resolveMissing} may run
 * alongside {@code next}.
 */
public interface SyncPass {

    /** The next page; the pass is over after a page whose {@link SyncPage#last()} is true. */
    SyncPage next(TimeBudget budget);

    /**
     * Stored records the pass should have listed with {@code page} and did not (see {@link Deletions}): which
     * are gone from the source, and which are still there (listed elsewhere because the listing shifted while
     * being read). Records in neither answer are left as they are. Unless a connector answers otherwise, every
     * one is gone (only marked: no follow-up event).
     */
    default MissingRecords resolveMissing(SyncPage page, List<KnownRecord> missing, TimeBudget budget) {
        return MissingRecords.allGone(missing);
    }

    /**
     * Called inside the transaction that writes {@code page}, after its records: for a source whose own state
     * lives in this database (the Posh.VIP replay settles its deliveries), so that state commits with the page
     * or not at all. {@code failed} are the page's records that were not written (unmappable, or refused by the
     * database), with their reasons. Nothing, for a source pulled from a vendor.
     */
    default void written(Connection connection, SyncPage page, List<FailedRecord> failed) throws SQLException {
    }
}
