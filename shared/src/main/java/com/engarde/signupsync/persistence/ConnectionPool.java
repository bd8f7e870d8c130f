package com.engarde.signupsync.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The container's one connection pool, opened at the first connection asked for and closed whole by
 * {@link #close()}, after which the next connection opens a new pool. A SnapStart snapshot must hold no open
 * socket (a restored one is dead, and two restores would share it), so the priming closes the pool before the
 * checkpoint and the first request after a restore opens a fresh one.
 */
public final class ConnectionPool extends ConnectionSource implements AutoCloseable {

    private final HikariConfig config;
    private volatile HikariDataSource pool;
    private volatile boolean rollingBack;

    ConnectionPool(HikariConfig config) {
        this.config = config;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = pool().getConnection();
        return rollingBack ? RollbackOnlyConnection.wrap(connection) : connection;
    }

    /**
     * Runs {@code work} with every connection this pool hands out meanwhile rolled back instead of committed, so
     * the priming can take a write path end to end and keep nothing. Only while no request is served: the
     * SnapStart checkpoint, where the function receives no traffic.
     */
    public synchronized void rollingBack(Runnable work) {
        rollingBack = true;
        try {
            work.run();
        } finally {
            rollingBack = false;
        }
    }

    /** Open connections right now: 0 when the pool is closed or has none. */
    public int openConnections() {
        HikariDataSource current = pool;
        return current == null || current.isClosed() || current.getHikariPoolMXBean() == null ? 0
                : current.getHikariPoolMXBean().getTotalConnections();
    }

    /** Closes every connection, waiting until they are closed; the pool opens again when next used. */
    @Override
    public synchronized void close() {
        HikariDataSource current = pool;
        pool = null;
        if (current != null) {
            current.close();
        }
    }

    private HikariDataSource pool() {
        HikariDataSource current = pool;
        if (current == null) {
            synchronized (this) {
                current = pool;
                if (current == null) {
                    HikariConfig copy = new HikariConfig();
                    config.copyStateTo(copy);
                    pool = current = new HikariDataSource(copy);
                }
            }
        }
        return current;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        config.setConnectionTimeout(seconds * 1000L);
    }

    @Override
    public int getLoginTimeout() {
        return (int) (config.getConnectionTimeout() / 1000);
    }
}
