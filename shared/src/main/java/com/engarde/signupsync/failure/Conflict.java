package com.engarde.signupsync.failure;

/** The input is valid but the current state does not allow what it asks. */
public non-sealed class Conflict extends DomainFailure {

    public Conflict(String field, String message) {
        super("conflict", field, message);
    }
}
