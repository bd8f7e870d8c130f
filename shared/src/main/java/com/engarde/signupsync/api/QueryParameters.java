package com.engarde.signupsync.api;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.input.QueryValues;
import io.micronaut.http.HttpRequest;

import java.util.List;

/**
 * Query parameters read by hand from the request rather than bound by the framework, by the rules of
 * {@link QueryValues}: a repeated, empty, non-ASCII-digit or out-of-range value is a 400 naming the parameter,
 * never a guess (the first of two, {@code \u0661} as 1) and never a binding failure answered 500.
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
            throw new InvalidInput(name, name + " is given more than once");
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
        return value == null ? null : (int) QueryValues.number(name, value, min, max);
    }

}
