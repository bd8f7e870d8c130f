package com.engarde.signupsync.failure;

/** The input names something that does not exist. */
public non-sealed class NotFound extends DomainFailure {

    public NotFound(String field, String message) {
        super("not_found", field, message);
    }
}
