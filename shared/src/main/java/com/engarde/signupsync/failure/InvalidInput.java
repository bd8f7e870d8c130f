package com.engarde.signupsync.failure;

/** Input that breaks a rule (malformed, missing, out of range), naming the field and what it accepts. */
public non-sealed class InvalidInput extends DomainFailure {

    public InvalidInput(String field, String message) {
        super("invalid_request", field, message);
    }

    /** For a failure whose callers read a more specific code than {@code invalid_request}. */
    protected InvalidInput(String code, String field, String message) {
        super(code, field, message);
    }
}
