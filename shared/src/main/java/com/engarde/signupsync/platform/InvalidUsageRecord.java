package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.InvalidInput;

/** A usage record refused for one field: that record's error in the batch answer, the others still stored. */
public class InvalidUsageRecord extends InvalidInput {

    public InvalidUsageRecord(String field, String message) {
        super(field, message);
    }
}
