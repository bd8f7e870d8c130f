package com.engarde.signupsync.sync;

import java.util.Locale;

/** Where a sync run stands. {@code partial}: it finished, but some records could not be mapped. */
public enum SyncStatus {
    RUNNING, SUCCEEDED, FAILED, PARTIAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SyncStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
