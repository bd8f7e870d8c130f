package com.engarde.signupsync.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * A delivery to store as received. {@code status} is {@code received} unless it is already settled at
 * receipt (malformed JSON is stored {@code failed}, with its reason).
 */
public record NewDelivery(String sourceType, String deliveryKey, String eventType, AuthScheme authScheme,
                          ObjectNode headers, byte[] rawBody, DeliveryStatus status, String reason,
                          Instant receivedAt) {

    public NewDelivery withKey(String key) {
        return new NewDelivery(sourceType, key, eventType, authScheme, headers, rawBody, status, reason, receivedAt);
    }
}
