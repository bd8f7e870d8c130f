package com.engarde.signupsync.sync;

import java.util.Locale;

/** What started a sync run. */
public enum SyncTrigger {
    SCHEDULE, MANUAL, CONTINUATION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SyncTrigger fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
