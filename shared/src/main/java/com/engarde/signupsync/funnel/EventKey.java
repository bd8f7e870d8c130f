package com.engarde.signupsync.funnel;

/** The unique key of a funnel event: the source's own id, per source and event type. */
public record EventKey(String sourceType, String externalId, String eventType) {
}
