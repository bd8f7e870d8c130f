package com.engarde.signupsync.funnel;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** UTM parameters of a touch; any of them may be absent. */
public record Utm(String source, String medium, String campaign, String term, String content) {
    public static final Utm NONE = new Utm(null, null, null, null, null);

    private static final List<String> NAMES = List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");
    private static final int MAX = 500;

    /**
     * The UTM parameters in a link's query ({@code https://example.com/x?utm_source=ig&utm_medium=social}), the
     * first of each name, trimmed and cut to 500 characters; {@link #NONE} when it carries none.
     */
    public static Utm fromLink(String link) {
        if (link == null || !link.contains("utm_")) {
            return NONE;
        }
        int question = link.indexOf('?');
        String query = question >= 0 ? link.substring(question + 1) : link;
        int hash = query.indexOf('#');
        if (hash >= 0) {
            query = query.substring(0, hash);
        }
        Map<String, String> values = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = decode(pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = decode(pair.substring(eq + 1)).strip();
            if (NAMES.contains(name) && !value.isEmpty()) {
                values.putIfAbsent(name, cut(value));
            }
        }
        return new Utm(values.get("utm_source"), values.get("utm_medium"), values.get("utm_campaign"),
                values.get("utm_term"), values.get("utm_content"));
    }

    /** This, with {@code source} as the source when it has none. */
    public Utm withSourceIfAbsent(String fallback) {
        if (source != null || fallback == null || fallback.isBlank()) {
            return this;
        }
        return new Utm(cut(fallback.strip()), medium, campaign, term, content);
    }

    private static String cut(String value) {
        return value.length() > MAX ? value.substring(0, MAX) : value;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
