package com.engarde.signupsync.persistence;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

/**
 * A database failure that the caller cannot fix: answered as 503 or 500, never with SQL in the body.
 * <p>
 * PostgreSQL's messages carry the data that failed ("Failing row contains (...)", "invalid input syntax for
 * type timestamp: \"...\""), which is personal data here. So this exception keeps only what names the
 * failure: the SQLSTATE and the table, column, constraint or type concerned; the driver's exception is not
 * kept as the cause (its stack trace is), so neither a log line nor a run's error message can show a row.
 */
public class DatabaseException extends RuntimeException {

    private final String sqlState;
    private final String field;

    public DatabaseException(SQLException cause) {
        super(describe(cause));
        this.sqlState = cause == null ? null : cause.getSQLState();
        this.field = cause == null ? null : field(cause);
        if (cause != null) {
            setStackTrace(cause.getStackTrace());
        }
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
        return sqlState;
    }

    /**
     * What the database refused, in words for a caller or a stored reason ("a character that cannot be stored
     * (such as NUL)"): the SQLSTATE is for logs, not for someone fixing their input.
     */
    public static String refusedValue(String sqlState) {
        return switch (sqlState == null ? "" : sqlState) {
            case "22021", "22P05" -> "a character that cannot be stored (such as NUL)";
            case "22003" -> "a number outside the range it can be stored in";
            case "22007", "22008" -> "a date or time outside the range it can be stored in";
            case "22001" -> "a text longer than it can be stored in";
            case "23505" -> "a value that is already taken";
            case "23503" -> "a reference to something that does not exist";
            default -> "a value that cannot be stored";
        };
    }

    /** The column (else constraint, table or type) PostgreSQL named, when it named one. */
    public String field() {
        return field;
    }

    private static String describe(SQLException cause) {
        if (cause == null) {
            return "database error";
        }
        String field = field(cause);
        return "database error (SQLSTATE " + cause.getSQLState() + (field == null ? "" : ", " + field) + ")";
    }

    private static String field(SQLException cause) {
        ServerErrorMessage server = cause instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        if (server == null) {
            return null;
        }
        if (server.getColumn() != null) {
            return "column " + qualified(server.getTable(), server.getColumn());
        }
        if (server.getConstraint() != null) {
            return "constraint " + server.getConstraint();
        }
        if (server.getDatatype() != null) {
            return "type " + server.getDatatype();
        }
        return server.getTable() == null ? null : "table " + server.getTable();
    }

    private static String qualified(String table, String column) {
        return table == null ? column : table + "." + column;
    }
}
