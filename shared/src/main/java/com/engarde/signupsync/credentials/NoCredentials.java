package com.engarde.signupsync.credentials;

import com.engarde.signupsync.failure.Conflict;

/**
 * A source has no credentials, stored or in the environment, so nothing can call its vendor: verify and a sync
 * refuse up front, in the same words: a conflict naming the field that chose the source.
 */
public class NoCredentials extends Conflict {

    public NoCredentials(String sourceType, String field) {
        super(field, sourceType + " has no credentials configured: store them first");
    }
}
