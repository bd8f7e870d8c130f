package com.engarde.signupsync.platform;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a usage view reads from: the raw records of the last 24 hours, or the daily or monthly rollups. */
public enum ViewMode {
    REALTIME, DAILY, MONTHLY;

    public static final String NAMES = "realtime, daily, monthly";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ViewMode> fromId(String id) {
        return Arrays.stream(values()).filter(v -> v.id().equals(id)).findFirst();
    }
}
