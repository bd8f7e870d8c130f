package com.engarde.signupsync.sync;

import com.engarde.signupsync.http.TimeBudget;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One pass of a destination over what it has to send, batch by batch. {@link #sendNext} is called from one
 * thread at a time; the engine may send the next batch while it records the previous one, so a pass keeps its
 * own position rather than re-reading what the last recorded batch changed.
 */
public interface DestinationPass {

    /**
     * Reads the next batch after the pass's position, sends it within {@code budget} (passing the budget to every
     * vendor call, which counts the requests) and answers what became of each record. A record the vendor refuses
     * is a {@link SentRecord#failed} one (the run goes on); what stops the whole batch is thrown (a
     * {@code VendorException} fails the run, a {@code VendorLimitReached} waits for the quota, the budget's end
     * hands over): nothing of that batch is recorded, and the next invocation sends it again. The pass is over
     * after a batch whose {@link SentBatch#last()} is true.
     */
    SentBatch sendNext(TimeBudget budget);

    /**
     * Called inside the transaction that records {@code batch} with the run's checkpoint: for the destination's
     * own state in this database (queue entries marked sent), so that it commits with the checkpoint or not at
     * all. Nothing, unless the destination keeps such state.
     */
    default void recorded(Connection connection, SentBatch batch) throws SQLException {
    }
}
