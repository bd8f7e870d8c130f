package com.engarde.signupsync.credentials;

/**
 * A source has no credentials, stored or in the environment, so nothing can call its vendor: verify and a sync
 * refuse up front, in the same words, and the API layer answers 409 naming {@link #field()}.
 */
public class NoCredentials extends RuntimeException {

    private final String field;

    public NoCredentials(String sourceType, String field) {
        super(sourceType + " has no credentials configured: store them first");
        this.field = field;
    }

    public String field() {
        return field;
    }
}
