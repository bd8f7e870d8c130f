package com.engarde.signupsync.credentials;

/** Credentials an admin entered do not have the source's shape. Names the field, never a value. */
public class InvalidCredentials extends RuntimeException {

    private final String field;

    public InvalidCredentials(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
