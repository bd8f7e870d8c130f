package com.engarde.signupsync.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One row of funnel_sync_logs: a run of one source's sync. */
public record SyncRun(long id, String sourceType, SyncTrigger trigger, SyncStatus status, Instant startedAt,
                      Instant finishedAt, SyncCounts counts, JsonNode cursorBefore, JsonNode cursorAfter,
                      String errorMessage) {
}
