package com.engarde.signupsync.failure;

/** The caller is known but may not do this. */
public non-sealed class Forbidden extends DomainFailure {

    public Forbidden(String field, String message) {
        super("forbidden", field, message);
    }

    /** For a failure whose callers read a more specific code than {@code forbidden}. */
    protected Forbidden(String code, String field, String message) {
        super(code, field, message);
    }
}
