package com.engarde.signupsync.failure;

/** Input that breaks a rule (malformed, missing, out of range), naming the field and what it accepts. */
public non-sealed class InvalidInput extends DomainFailure {

    public InvalidInput(String field, String message) {
        super("invalid_request", field, message);
    }
}
