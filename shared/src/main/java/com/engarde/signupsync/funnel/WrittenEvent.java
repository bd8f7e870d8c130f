package com.engarde.signupsync.funnel;

/** The outcome of writing one event: the stored row, and whether this write created it. */
public record WrittenEvent(boolean created, FunnelEvent event) {
}
