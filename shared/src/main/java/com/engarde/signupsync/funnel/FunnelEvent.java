package com.engarde.signupsync.funnel;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A stored funnel event, as the API answers it. */
public record FunnelEvent(long id, long leadId, String email, String sourceType, String eventType, String externalId,
                          Instant occurredAt, @Nullable String utmSource, @Nullable String utmMedium,
                          @Nullable String utmCampaign, @Nullable String utmTerm, @Nullable String utmContent,
                          @Nullable @Schema(implementation = Object.class, description = "a JSON object") JsonNode eventData, Instant createdAt) {

    public EventKey key() {
        return new EventKey(sourceType, externalId, eventType);
    }
}
