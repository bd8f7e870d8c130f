package com.engarde.signupsync.input;

import com.engarde.signupsync.failure.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Reads typed fields out of a request object, failing with an {@link InvalidInput} that names the field. */
public final class JsonFields {

    private JsonFields() {
    }

    /**
     * A string field, by the one text rule ({@link InputText}): absent, null or blank gives null; a control or
     * bidi character, or more than {@code maxLength} characters as stored, fails naming the field.
     */
    public static String text(ObjectNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInput(field, field + " must be a string");
        }
        return checked(field, node.textValue(), maxLength);
    }

    /** A value from a path or query parameter, by the same rule as a body's string fields. */
    public static String checked(String field, String raw, int maxLength) {
        String value = InputText.normalize(raw);
        if (value.isEmpty()) {
            return null;
        }
        String problem = InputText.problem(value, false);
        if (problem != null) {
            throw new InvalidInput(field, field + " " + problem);
        }
        if (InputText.length(value) > maxLength) {
            throw new InvalidInput(field, field + " must be at most " + maxLength + " characters");
        }
        return value;
    }

    public static String requiredText(ObjectNode body, String field, int maxLength) {
        String value = text(body, field, maxLength);
        if (value == null) {
            throw new InvalidInput(field, field + " is required");
        }
        return value;
    }

    /**
     * An identifier: sources send ids as strings or as integers; both are kept as text, and both are held to
     * {@code maxLength} as stored.
     */
    public static String identifier(ObjectNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node != null && node.isIntegralNumber()) {
            String digits = node.asText();
            if (digits.length() > maxLength) {
                throw new InvalidInput(field, field + " must be at most " + maxLength + " characters");
            }
            return digits;
        }
        if (node != null && !node.isNull() && !node.isTextual()) {
            throw new InvalidInput(field, field + " must be a string or an integer");
        }
        return text(body, field, maxLength);
    }

    /** A positive integer id (at most 2^63-1), sent as a number or a string of ASCII digits. */
    public static Long id(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong() && node.longValue() > 0) {
                return node.longValue();
            }
            throw new InvalidInput(field, field + " must be a positive integer of at most " + Long.MAX_VALUE);
        }
        if (node.isTextual()) {
            return positiveId(field, node.textValue());
        }
        throw new InvalidInput(field, field + " must be a positive integer");
    }

    /**
     * A positive id written in ASCII digits. {@link Long#parseLong} alone would also read other scripts'
     * digits ({@code \u0661} as 1): an id a caller never wrote.
     */
    public static long positiveId(String field, String raw) {
        Long id = InputText.asciiNumber(raw);
        if (id == null || id == 0) {
            throw new InvalidInput(field, field + " must be a positive integer in ASCII digits, at most " + Long.MAX_VALUE);
        }
        return id;
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
            throw new InvalidInput(field,
                    field + " must be an ISO-8601 date-time with an offset, such as 2026-03-01T10:00:00Z");
        }
    }

    public static ObjectNode object(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidInput(field, field + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** A UUID, sent as a string. */
    public static UUID uuid(ObjectNode body, String field) {
        String value = text(body, field, 36);
        return value == null ? null : uuid(field, value);
    }

    /** A UUID in its canonical 36-character form, from a body or a query parameter. */
    public static UUID uuid(String field, String value) {
        if (value.length() == 36) {
            try {
                return UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                // answered below
            }
        }
        throw new InvalidInput(field, field + " must be a UUID such as 00000000-0000-0000-0000-000000000002");
    }

    /** A non-negative whole number no larger than {@code max}; absent or null gives 0. */
    public static long count(ObjectNode body, String field, long max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0 && node.longValue() <= max) {
            return node.longValue();
        }
        throw new InvalidInput(field, field + " must be a whole number between 0 and " + max);
    }

    /**
     * A non-negative decimal with at most {@code scale} decimals, sent as a JSON number or a string such as
     * "0.001234". Read from a body parsed by {@link JsonBodies#exactObject}, a number is never a float.
     */
    public static BigDecimal decimal(ObjectNode body, String field, int scale, BigDecimal max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        BigDecimal value = null;
        if (node.isBigDecimal() || node.isIntegralNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual() && node.textValue().strip().chars().allMatch(c -> c < 0x80)) {
            // ASCII only: BigDecimal alone would also read other scripts' digits (an Arabic-Indic one as 1).
            try {
                value = new BigDecimal(node.textValue().strip());
            } catch (NumberFormatException e) {
                // answered below
            }
        }
        if (value == null || node.isFloatingPointNumber() && !node.isBigDecimal()) {
            throw new InvalidInput(field, field + " must be a decimal number such as 0.001234");
        }
        value = value.stripTrailingZeros();
        if (value.signum() < 0 || value.compareTo(max) > 0) {
            throw new InvalidInput(field, field + " must be between 0 and " + max.toPlainString());
        }
        if (value.scale() > scale) {
            throw new InvalidInput(field, field + " must have at most " + scale + " decimals");
        }
        return value.setScale(scale);
    }

    public static Boolean bool(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw new InvalidInput(field, field + " must be true or false");
        }
        return node.booleanValue();
    }

    /** A calendar date, {@code 2026-03-01}, from a query parameter. */
    public static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInput(field, field + " must be a date such as 2026-03-01");
        }
    }
}
