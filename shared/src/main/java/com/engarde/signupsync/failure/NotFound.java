package com.engarde.signupsync.failure;

/** The input names something that does not exist. */
public non-sealed class NotFound extends DomainFailure {

    public NotFound(String field, String message) {
        super("not_found", field, message);
    }

    /** For a failure whose callers read a more specific code than {@code not_found}. */
    protected NotFound(String code, String field, String message) {
        super(code, field, message);
    }
}
