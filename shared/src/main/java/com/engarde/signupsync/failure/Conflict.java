package com.engarde.signupsync.failure;

/** The input is valid but the current state does not allow what it asks. */
public non-sealed class Conflict extends DomainFailure {

    public Conflict(String field, String message) {
        super("conflict", field, message);
    }

    /** For a failure whose callers read a more specific code than {@code conflict}. */
    protected Conflict(String code, String field, String message) {
        super(code, field, message);
    }
}
