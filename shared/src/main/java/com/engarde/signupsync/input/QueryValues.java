package com.engarde.signupsync.input;

import com.engarde.signupsync.failure.InvalidInput;

import java.util.List;
import java.util.Map;

/**
 * The rules for query parameters and path values, read from plain strings: the API layer applies them to
 * every request, and services read numbers from parameters by the same rule.
 */
public final class QueryValues {

    private QueryValues() {
    }

    /**
     * A whole number in ASCII digits between {@code min} and {@code max} (both at least 0): the one reading of
     * a number in a query parameter or a path, whichever route reads it.
     */
    public static long number(String name, String value, long min, long max) {
        Long n = InputText.asciiNumber(value);
        if (n == null || n < min || n > max) {
            throw new InvalidInput(name, name + " must be a whole number in ASCII digits from " + min + " to " + max);
        }
        return n;
    }

    /**
     * The rule every route's query string meets before a controller reads it (the API layer applies it to every route):
     * each parameter given once, with a value, and that value by the one text rule; null when it does, else
     * the refusal naming the parameter. An empty value is not taken as the default: leave the parameter out.
     */
    public static InvalidInput refusal(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> e : parameters.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || InputText.problem(name, false) != null || name.length() > 100) {
                return new InvalidInput(null, "a query parameter's name is empty or holds characters no parameter has");
            }
            if (e.getValue().size() > 1) {
                return new InvalidInput(name, name + " is given more than once");
            }
            String value = e.getValue().isEmpty() ? "" : e.getValue().get(0);
            if (value == null || InputText.normalize(value).isEmpty()) {
                return new InvalidInput(name, name + " is empty; leave it out to use its default");
            }
            String problem = InputText.problem(value, false);
            if (problem != null) {
                return new InvalidInput(name, name + " " + problem);
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
