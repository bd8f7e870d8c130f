package com.engarde.signupsync.http;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a Retry-After header in the three forms vendors send: delay seconds ({@code 120}), an HTTP date
 * ({@code Wed, 21 Oct 2026 07:28:00 GMT}) or an ISO-8601 timestamp ({@code 2026-10-21T07:28:00Z}).
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** The wait the header asks for at {@code now}; empty when absent or unreadable, zero when already past. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        try {
            if (value.chars().allMatch(Character::isDigit)) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            }
            if (value.matches("\\d+\\.\\d+")) {
                return Optional.of(Duration.ofMillis((long) (Double.parseDouble(value) * 1000)));
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Instant at = instant(value);
        if (at == null) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    private static Instant instant(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException ignored) {
            // not an HTTP date; try ISO below
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException ignored) {
            // not ISO with an offset either
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }
}
