package com.engarde.signupsync.funnel;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A stored funnel event, as the API answers it. */
public record FunnelEvent(long id, long leadId, String email, String sourceType, String eventType, String externalId,
                          Instant occurredAt, String utmSource, String utmMedium, String utmCampaign, String utmTerm,
                          String utmContent, JsonNode eventData, Instant createdAt) {

    public EventKey key() {
        return new EventKey(sourceType, externalId, eventType);
    }
}
