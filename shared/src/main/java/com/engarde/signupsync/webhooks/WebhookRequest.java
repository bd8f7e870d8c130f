package com.engarde.signupsync.webhooks;


import java.util.HashMap;
import java.util.List;
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

    /** From every header's values as received, keeping each name's first value. */
    public static WebhookRequest of(Map<String, List<String>> headers, byte[] body) {
        Map<String, String> map = new HashMap<>();
        headers.forEach((name, values) -> {
            if (values != null && !values.isEmpty() && values.get(0) != null) {
                map.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return new WebhookRequest(body, map);
    }

    /** The header's first value, or null. */
    public String header(String name) {
        String value = headers.get(name.toLowerCase(Locale.ROOT));
        return value == null || value.isBlank() ? null : value.strip();
    }
}
