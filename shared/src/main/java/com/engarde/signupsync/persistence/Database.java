package com.engarde.signupsync.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The one way code talks to PostgreSQL: a unit of work in a transaction, retried when PostgreSQL reports a
 * serialization failure or a deadlock (both safe to retry because every write here is idempotent).
 */
public final class Database {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final int ATTEMPTS = 3;

    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public <T> T transaction(Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (!isRetryable(e)) {
                    throw new DatabaseException(e);
                }
                last = e;
            }
        }
        throw new DatabaseException(last);
    }

    public <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            try {
                return work.run(connection);
            } finally {
                connection.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    /**
     * A read whose statements all see one snapshot (a read-only repeatable-read transaction): for answers
     * assembled from several statements that must agree, such as a rollup's counts and the rows they count.
     */
    public <T> T snapshot(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setReadOnly(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    private static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }
}
