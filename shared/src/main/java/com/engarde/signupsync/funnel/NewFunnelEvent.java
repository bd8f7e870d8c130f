package com.engarde.signupsync.funnel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * A validated event to store. (source, externalId, type) is its idempotency key: writing it again changes
 * nothing and answers with the stored event.
 */
public record NewFunnelEvent(SourceType source, EventType type, String externalId, Instant occurredAt,
                             Person person, Utm utm, ObjectNode eventData) {

    public EventKey key() {
        return new EventKey(source.id(), externalId, type.id());
    }
}
