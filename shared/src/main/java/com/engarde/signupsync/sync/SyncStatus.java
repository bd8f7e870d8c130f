package com.engarde.signupsync.sync;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where a sync run stands. {@code partial}: it finished without doing all of it: some records could not be
 * mapped, or it reached its invocation's time budget and a continuation run goes on from its checkpoint.
 */
public enum SyncStatus {
    RUNNING, SUCCEEDED, FAILED, PARTIAL;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SyncStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
