package com.engarde.signupsync.sync;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where a sync run stands. {@code succeeded}: it covered everything it set out to (records skipped as
 * unmappable or refused are counted and listed in failed_records). {@code partial}: it did not cover
 * everything (its invocation's time budget, a vendor's daily limit) and a continuation or the next run
 * carries on from its checkpoint. {@code failed}: it stopped on an error.
 */
@Schema(type = "string", allowableValues = {"running", "succeeded", "failed", "partial"})
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
