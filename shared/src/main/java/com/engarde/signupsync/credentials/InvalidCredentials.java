package com.engarde.signupsync.credentials;

import com.engarde.signupsync.failure.InvalidInput;

/** Credentials an admin entered do not have the source's shape. Names the field, never a value. */
public class InvalidCredentials extends InvalidInput {

    public InvalidCredentials(String field, String message) {
        super(field, message);
    }
}
