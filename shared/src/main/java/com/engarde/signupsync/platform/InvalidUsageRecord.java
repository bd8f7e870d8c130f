package com.engarde.signupsync.platform;

/** A usage record refused for one field: that record's error in the batch answer, the others still stored. */
public class InvalidUsageRecord extends RuntimeException {

    private final String field;

    public InvalidUsageRecord(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
