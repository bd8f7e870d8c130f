package com.engarde.signupsync.sync;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import com.engarde.signupsync.bus.SyncTrigger;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One row of funnel_sync_logs: a run of one source's sync. {@code heartbeatAt} moves at every checkpoint;
 * {@code continuesRunId} names the run this one continues after that one reached its time budget;
 * {@code failedRecords} lists the first records that could not be mapped ({@code counts.failed} counts all);
 * {@code requests} is how many HTTP requests the run sent to its vendor, retries included; {@code notBefore}, on a
 * continuation waiting for a vendor's quota to reset, is when it may be carried out (null: at once).
 */
public record SyncRun(long id, String sourceType, SyncTrigger trigger, SyncStatus status, Instant startedAt,
                      @Nullable Instant finishedAt, SyncCounts counts,
                      @Nullable @Schema(implementation = Object.class, description = "a JSON object") JsonNode cursorBefore,
                      @Nullable @Schema(implementation = Object.class, description = "a JSON object") JsonNode cursorAfter,
                      @Nullable String errorMessage, @Nullable Instant heartbeatAt, @Nullable Long continuesRunId,
                      @Nullable List<FailedRecord> failedRecords, int requests, @Nullable Instant notBefore) {

    /** True when this run waits at {@code now} for its not-before time. */
    public boolean waitsAt(Instant now) {
        return notBefore != null && now.isBefore(notBefore);
    }
}
