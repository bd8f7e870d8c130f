package com.engarde.signupsync.webhooks;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a stored delivery stands. {@code received}: stored, not yet settled (processing is under way or was
 * cut short). {@code failed}: could not be mapped; replayed by the source's sync. {@code ignored}: nothing in
 * it for the funnel (an unknown type, a denied request).
 */
public enum DeliveryStatus {
    RECEIVED, PROCESSED, FAILED, IGNORED;

    public static final String NAMES = Arrays.stream(values()).map(DeliveryStatus::id).collect(Collectors.joining(", "));

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeliveryStatus> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }
}
