package com.engarde.signupsync.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The container's one connection pool, opened at the first connection asked for and closed whole by
 * {@link #close()}, after which the next connection opens a new pool. A SnapStart snapshot must hold no open
 * socket (a restored one is dead, and two restores would share it), so the priming closes the pool before the
 * checkpoint and the first request after a restore opens a fresh one.
 */
public final class ConnectionPool implements DataSource, AutoCloseable {

    private final HikariConfig config;
    private volatile HikariDataSource pool;

    ConnectionPool(HikariConfig config) {
        this.config = config;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool().getConnection();
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
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials come from the configuration");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // The pool logs through SLF4J.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        config.setConnectionTimeout(seconds * 1000L);
    }

    @Override
    public int getLoginTimeout() {
        return (int) (config.getConnectionTimeout() / 1000);
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
