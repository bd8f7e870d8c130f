package com.engarde.signupsync.failure;

/** Something the request needs (the event bus, a key, the database) cannot be used now: retry later. */
public non-sealed class DependencyUnavailable extends DomainFailure {

    /** {@code code} names what is missing, such as {@code bus_unavailable}. */
    public DependencyUnavailable(String code, String message) {
        super(code, null, message);
    }
}
