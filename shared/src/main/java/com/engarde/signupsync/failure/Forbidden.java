package com.engarde.signupsync.failure;

/** The caller is known but may not do this. */
public non-sealed class Forbidden extends DomainFailure {

    public Forbidden(String field, String message) {
        super("forbidden", field, message);
    }
}
