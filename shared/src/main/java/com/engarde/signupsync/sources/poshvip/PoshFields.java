package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.sync.VendorText;
import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.funnel.EventTimes;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Lenient reads of Posh.VIP's JSON, which is not documented and varies between senders: numbers or strings
 * for ids and amounts, optional fields, several names for one field. A value that is present but cannot be
 * read fails the delivery with a reason naming the field; a missing one is null.
 */
final class PoshFields {

    private PoshFields() {
    }

    /** The first of {@code names} that is present and not null. */
    static JsonNode first(JsonNode object, String... names) {
        for (String name : names) {
            JsonNode node = object.get(name);
            if (node != null && !node.isNull() && !(node.isTextual() && node.textValue().isBlank())) {
                return node;
            }
        }
        return null;
    }

    /** Text, cut to {@code maxLength} characters (these are descriptive fields, not identities). */
    static String text(JsonNode object, int maxLength, String... names) {
        JsonNode node = first(object, names);
        if (node == null) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new MalformedDelivery(names[0] + " must be text");
        }
        String value = readable(names[0], node.asText(), true).strip();
        return value.length() > maxLength ? value.substring(0, maxLength) : value;
    }

    /** An identifier sent as a string or an integer. */
    static String identifier(JsonNode object, String... names) {
        JsonNode node = first(object, names);
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() || node.isTextual()) {
            String value = readable(names[0], node.asText(), false).strip();
            if (value.length() > 120) {
                throw new MalformedDelivery(names[0] + " is longer than 120 characters");
            }
            return value;
        }
        if (node.isNumber() && node.decimalValue().stripTrailingZeros().scale() <= 0) {
            return node.decimalValue().toBigInteger().toString();
        }
        throw new MalformedDelivery(names[0] + " must be a string or an integer");
    }

    /** An amount in major units (95.5), sent as a number or a numeric string, optionally with a leading $. */
    static BigDecimal amount(JsonNode object, String... names) {
        JsonNode node = first(object, names);
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            String value = node.textValue().strip();
            if (value.startsWith("$")) {
                value = value.substring(1).strip();
            }
            try {
                return new BigDecimal(value);
            } catch (NumberFormatException e) {
                // answered below
            }
        }
        throw new MalformedDelivery(names[0] + " must be a number, got " + abbreviate(node));
    }

    /** A count: a non-negative integer, as a number or a numeric string. */
    static Integer count(JsonNode object, String name) {
        BigDecimal value = amount(object, name);
        if (value == null) {
            return null;
        }
        try {
            int count = value.intValueExact();
            if (count >= 0) {
                return count;
            }
        } catch (ArithmeticException e) {
            // answered below
        }
        throw new MalformedDelivery(name + " must be a non-negative integer");
    }

    /** A flag: true/false, "true"/"false", 1/0. Missing is false. */
    static boolean flag(JsonNode object, String name) {
        JsonNode node = first(object, name);
        if (node == null) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue() != 0;
        }
        if (node.isTextual()) {
            String value = node.textValue().strip();
            if (value.equalsIgnoreCase("true") || value.equals("1") || value.equalsIgnoreCase("yes")) {
                return true;
            }
            if (value.equalsIgnoreCase("false") || value.equals("0") || value.equalsIgnoreCase("no")) {
                return false;
            }
        }
        throw new MalformedDelivery(name + " must be true or false");
    }

    /**
     * An instant: ISO-8601 with an offset; without one it is taken as UTC (Posh writes UTC with a Z); a
     * number is Unix seconds, or milliseconds when it is too large to be seconds.
     */
    static Instant instant(Instant receivedAt, JsonNode object, String... names) {
        Instant at = parsedInstant(object, names);
        String problem = at == null ? null : EventTimes.problem(names[0], at, receivedAt);
        if (problem != null) {
            throw new MalformedDelivery(problem);
        }
        return at;
    }

    private static Instant parsedInstant(JsonNode object, String... names) {
        JsonNode node = first(object, names);
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            long value = node.longValue();
            try {
                return value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
            } catch (java.time.DateTimeException e) {
                // answered below
            }
        }
        if (node.isTextual()) {
            String value = node.textValue().strip();
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    // answered below
                }
            }
        }
        throw new MalformedDelivery(names[0] + " must be an ISO-8601 date-time, got " + abbreviate(node));
    }

    /**
     * A field's text, refused (the delivery fails naming the field) when it holds what cannot be stored, a NUL
     * or half a surrogate pair; bidi controls are dropped as from every vendor, and an id is kept to one line.
     */
    private static String readable(String field, String raw, boolean multiline) {
        String problem = InputText.problem(raw, true);
        if (problem != null) {
            throw new MalformedDelivery(field + " " + problem);
        }
        return multiline ? VendorText.clean(raw) : VendorText.id(raw);
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
