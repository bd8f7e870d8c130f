package com.engarde.signupsync.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads typed fields out of a request object, failing with a 400 that names the field. */
public final class JsonFields {

    private JsonFields() {
    }

    /** A string field: absent or null gives null, blank gives null; over {@code maxLength} characters fails. */
    public static String text(ObjectNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(field, field + " must be a string");
        }
        String value = node.textValue().strip();
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength) {
            throw ApiException.invalid(field, field + " must be at most " + maxLength + " characters");
        }
        return value;
    }

    public static String requiredText(ObjectNode body, String field, int maxLength) {
        String value = text(body, field, maxLength);
        if (value == null) {
            throw ApiException.invalid(field, field + " is required");
        }
        return value;
    }

    /** An identifier: sources send ids as strings or as integers; both are kept as text. */
    public static String identifier(ObjectNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node != null && node.isIntegralNumber()) {
            return node.asText();
        }
        return text(body, field, maxLength);
    }

    /** A positive integer id, sent as a number or a numeric string. */
    public static Long id(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            long value = node.isIntegralNumber() ? node.longValue()
                    : node.isTextual() ? Long.parseLong(node.textValue().strip()) : -1;
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid(field, field + " must be a positive integer");
    }

    /** An ISO-8601 instant with an offset ({@code 2026-03-01T10:00:00Z} or {@code ...+02:00}). */
    public static Instant instant(ObjectNode body, String field) {
        String value = text(body, field, 64);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field,
                    field + " must be an ISO-8601 date-time with an offset, such as 2026-03-01T10:00:00Z");
        }
    }

    public static ObjectNode object(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.invalid(field, field + " must be a JSON object");
        }
        return (ObjectNode) node;
    }
}
