package com.engarde.signupsync.persistence;

import java.sql.SQLException;

/** A database failure that the caller cannot fix: answered as 503 or 500, never with SQL in the body. */
public class DatabaseException extends RuntimeException {
    public DatabaseException(SQLException cause) {
        super(cause == null ? "database error" : cause.getMessage(), cause);
    }

    /**
     * A data exception (class 22) or an integrity violation (23): this data will never be accepted, retried
     * or not; the caller's input is at fault, not the database.
     */
    public boolean refusedData() {
        String state = sqlState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    public String sqlState() {
        return getCause() instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
