package com.engarde.signupsync.webhooks;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A stored delivery as the API shows it. The raw body only when asked for by id: as text when it is UTF-8,
 * else as base64, so what is shown is exactly what arrived.
 */
public record DeliveryReport(long id, String deliveryKey, @Nullable String eventType, String status,
                             @Nullable String reason, @Nullable String authScheme,
                             @Nullable @Schema(implementation = Object.class, description = "the delivery's headers kept, by name") JsonNode headers,
                             int attempts, Instant receivedAt, @Nullable Instant processedAt, @Nullable Integer rawBodyBytes,
                             @Nullable String rawBody, @Nullable String rawBodyBase64) {

    public static DeliveryReport of(WebhookDelivery d) {
        byte[] body = d.rawBody();
        String text = body == null ? null : utf8(body);
        return new DeliveryReport(d.id(), d.deliveryKey(), d.eventType(), d.status().id(), d.reason(),
                d.authScheme(), d.headers(), d.attempts(), d.receivedAt(), d.processedAt(),
                body == null ? null : body.length, text,
                body != null && text == null ? Base64.getEncoder().encodeToString(body) : null);
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
