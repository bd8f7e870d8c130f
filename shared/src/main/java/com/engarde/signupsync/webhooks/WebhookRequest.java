package com.engarde.signupsync.webhooks;

import io.micronaut.http.HttpHeaders;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A webhook delivery as it arrived: the body's bytes exactly as sent (signatures are over these, never over
 * re-serialized JSON) and the request headers by lower-cased name.
 */
public record WebhookRequest(byte[] body, Map<String, String> headers) {

    public WebhookRequest {
        body = body == null ? new byte[0] : body;
        Map<String, String> lower = new HashMap<>();
        headers.forEach((name, value) -> lower.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
        headers = Map.copyOf(lower);
    }

    public static WebhookRequest of(HttpHeaders headers, byte[] body) {
        Map<String, String> map = new HashMap<>();
        for (String name : headers.names()) {
            String value = headers.get(name);
            if (value != null) {
                map.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
            }
        }
        return new WebhookRequest(body, map);
    }

    /** The header's first value, or null. */
    public String header(String name) {
        String value = headers.get(name.toLowerCase(Locale.ROOT));
        return value == null || value.isBlank() ? null : value.strip();
    }
}
