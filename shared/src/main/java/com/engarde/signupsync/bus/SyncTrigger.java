package com.engarde.signupsync.bus;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What started a sync run. */
@Schema(type = "string", allowableValues = {"schedule", "manual", "continuation"})
public enum SyncTrigger {
    SCHEDULE, MANUAL, CONTINUATION;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SyncTrigger fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
