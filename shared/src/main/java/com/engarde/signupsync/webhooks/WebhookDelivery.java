package com.engarde.signupsync.webhooks;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One stored delivery. {@code rawBody} is null unless it was asked for. */
public record WebhookDelivery(long id, String sourceType, String deliveryKey, String eventType,
                              DeliveryStatus status, String reason, String authScheme, JsonNode headers,
                              int attempts, Instant receivedAt, Instant processedAt, byte[] rawBody) {
}
