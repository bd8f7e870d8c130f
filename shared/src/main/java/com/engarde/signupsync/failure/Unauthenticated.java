package com.engarde.signupsync.failure;

/** The caller could not be identified: no credentials, or credentials that do not pass. */
public non-sealed class Unauthenticated extends DomainFailure {

    public Unauthenticated(String field, String message) {
        super("unauthorized", field, message);
    }
}
