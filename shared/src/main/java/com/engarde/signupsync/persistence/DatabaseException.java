package com.engarde.signupsync.persistence;

import java.sql.SQLException;

/** A database failure that the caller cannot fix: answered as 503 or 500, never with SQL in the body. */
public class DatabaseException extends RuntimeException {
    public DatabaseException(SQLException cause) {
        super(cause == null ? "database error" : cause.getMessage(), cause);
    }

    public String sqlState() {
        return getCause() instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
