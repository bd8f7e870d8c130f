package com.engarde.signupsync.api;

import io.micronaut.http.HttpRequest;

import java.util.List;

/**
 * Query parameters read by hand rather than bound by the framework: a repeated, empty, non-ASCII-digit or
 * out-of-range value is a 400 naming the parameter, never a guess (the first of two, {@code \u0661} as 1) and
 * never a binding failure answered 500.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** The parameter's one value as sent, or null when absent; given twice, it is refused. */
    public static String single(HttpRequest<?> request, String name) {
        List<String> values = request.getParameters().getAll(name);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.invalid(name, name + " is given more than once");
        }
        return values.get(0);
    }

    /** A text parameter by the one text rule; empty counts as absent. */
    public static String text(HttpRequest<?> request, String name, int maxLength) {
        String value = single(request, name);
        return value == null ? null : JsonFields.checked(name, value, maxLength);
    }

    /** A positive id; present but empty ({@code ?delivery_id=}) is refused, not taken as absent. */
    public static Long id(HttpRequest<?> request, String name) {
        String value = single(request, name);
        return value == null ? null : JsonFields.positiveId(name, value);
    }

    /** An integer between {@code min} and {@code max}, or null when absent. */
    public static Integer between(HttpRequest<?> request, String name, int min, int max) {
        String value = single(request, name);
        if (value == null) {
            return null;
        }
        String digits = value.strip();
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(digits) < min || Long.parseLong(digits) > max) {
            throw ApiException.invalid(name, name + " must be an integer between " + min + " and " + max);
        }
        return Integer.parseInt(digits);
    }

    /** True when {@code raw} (a query string or a whole request target) is valid percent-encoded UTF-8. */
    public static boolean readable(String raw) {
        if (raw == null || raw.isEmpty()) {
            return true;
        }
        try {
            java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '%') {
                    if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                            || Character.digit(raw.charAt(i + 2), 16) < 0) {
                        return false;
                    }
                    bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    bytes.write(c < 0x80 ? c : '?');
                }
            }
            utf8.decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (NumberFormatException | java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
