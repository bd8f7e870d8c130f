package com.engarde.signupsync.persistence;

import java.time.Duration;
import java.util.Properties;

/**
 * How long a database session may wait, so that an invocation that dies or hangs gives its locks back and a
 * retried invocation can take its run over at once: statements, lock waits and transactions left idle are
 * ended by PostgreSQL, and a socket that stops answering by the driver. Every connection of the pool gets
 * them (as startup options, so they hold from the first statement). The deploy-time migration lifts the
 * statement limit for itself.
 */
public record SessionLimits(Duration statement, Duration lockWait, Duration idleInTransaction, Duration socket) {

    /** The driver properties carrying the limits; {@code logServerErrorDetail=false} keeps rows out of messages. */
    public Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("options", "-c statement_timeout=" + statement.toMillis()
                + " -c lock_timeout=" + lockWait.toMillis()
                + " -c idle_in_transaction_session_timeout=" + idleInTransaction.toMillis());
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, socket.toSeconds())));
        properties.setProperty("logServerErrorDetail", "false");
        return properties;
    }
}
