package com.engarde.signupsync.credentials;

/** A source is used without a field of its credentials. The message names the source and field only. */
public class MissingCredential extends RuntimeException {

    private final String sourceType;
    private final String field;

    public MissingCredential(String sourceType, String field) {
        super(sourceType + " has no " + field + " configured");
        this.sourceType = sourceType;
        this.field = field;
    }

    public String sourceType() {
        return sourceType;
    }

    public String field() {
        return field;
    }
}
