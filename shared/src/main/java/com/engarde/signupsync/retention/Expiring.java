package com.engarde.signupsync.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A kind of data kept for a bounded time. Its owner (the package whose table it is) knows what is past its
 * retention and what must stay; {@link DataRetention} calls it batch by batch, each batch in a transaction of its own.
 */
public interface Expiring {

    /** As the run's report and log name it: {@code webhook_deliveries}, {@code sync_runs}, ... */
    String kind();

    /** Removes at most {@code limit} rows past their retention at {@code now}; how many it removed. */
    int removeBatch(Connection connection, Instant now, int limit) throws SQLException;
}
