package com.engarde.signupsync.api;

import io.micronaut.http.HttpRequest;

import java.util.List;
import java.util.Map;

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
        return value == null ? null : (int) number(name, value, min, max);
    }

    /**
     * A whole number in ASCII digits between {@code min} and {@code max} (both at least 0): the one reading of
     * a number in a query parameter or a path, whichever route reads it.
     */
    public static long number(String name, String value, long min, long max) {
        Long n = InputText.asciiNumber(value);
        if (n == null || n < min || n > max) {
            throw ApiException.invalid(name, name + " must be a whole number in ASCII digits from " + min + " to " + max);
        }
        return n;
    }

    /**
     * The rule every route's query string meets before a controller reads it (see {@link RequestRules}):
     * each parameter given once, with a value, and that value by the one text rule; null when it does, else
     * the refusal naming the parameter. An empty value is not taken as the default: leave the parameter out.
     */
    public static ApiException refusal(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> e : parameters.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || InputText.problem(name, false) != null || name.length() > 100) {
                return ApiException.invalid(null, "a query parameter's name is empty or holds characters no parameter has");
            }
            if (e.getValue().size() > 1) {
                return ApiException.invalid(name, name + " is given more than once");
            }
            String value = e.getValue().isEmpty() ? "" : e.getValue().get(0);
            if (value == null || InputText.normalize(value).isEmpty()) {
                return ApiException.invalid(name, name + " is empty; leave it out to use its default");
            }
            String problem = InputText.problem(value, false);
            if (problem != null) {
                return ApiException.invalid(name, name + " " + problem);
            }
        }
        return null;
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
