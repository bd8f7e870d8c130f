package com.engarde.signupsync.failure;

/**
 * A request the domain refuses, told in domain terms: what kind of failure, a stable error code, the message
 * and the field at fault. It knows no HTTP: the API layer alone turns each kind into a status and the one error
 * body, in one table, so that domain code cannot choose a status.
 */
public abstract sealed class DomainFailure extends RuntimeException
        permits InvalidInput, NotFound, Conflict, LimitReached, DependencyUnavailable, Forbidden, Unauthenticated {

    private final String code;
    private final String field;

    DomainFailure(String code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
    }

    /** The error code callers read, such as {@code invalid_request}. */
    public String code() {
        return code;
    }

    /** The input field at fault, or null when no one field is. */
    public String field() {
        return field;
    }
}
