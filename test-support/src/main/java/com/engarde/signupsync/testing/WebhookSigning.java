package com.engarde.signupsync.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.webhooks.WebhookAuthenticator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Webhook deliveries as senders make them, for tests and benchmarks: a static secret header, an HMAC of the
 * body in a signature header, or Standard Webhooks headers, as API Gateway proxy events carrying the body
 * as text or base64-encoded. Throwaway secrets only.
 */
public final class WebhookSigning {

    private WebhookSigning() {
    }

    /** The HMAC key a secret stands for: a {@code whsec_} secret's decoded bytes, else the secret's text. */
    public static byte[] key(String secret) {
        return secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6))
                : secret.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code v1,<base64>} of HMAC-SHA256 over {@code id.timestamp.body}. */
    public static String standardSignature(String secret, String id, long timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(WebhookAuthenticator.hmac(key(secret), signed));
    }

    /** Hex HMAC-SHA256 of the body alone. */
    public static String bodySignature(String secret, byte[] body) {
        return HexFormat.of().formatHex(WebhookAuthenticator.hmac(key(secret), body));
    }

    /** A POST without credentials; the body as UTF-8 text, or base64-encoded as API Gateway does for binary. */
    public static APIGatewayProxyRequestEvent post(String path, byte[] body, boolean base64) {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withPath(path)
                .withResource(path)
                .withBody(base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8))
                .withIsBase64Encoded(base64)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withStage("test").withHttpMethod("POST").withPath(path).withRequestId("test-request"));
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "test-sender");
        event.setHeaders(headers);
        return event;
    }

    public static APIGatewayProxyRequestEvent withSecret(APIGatewayProxyRequestEvent event, String header, String secret) {
        event.getHeaders().put(header, secret);
        return event;
    }

    public static APIGatewayProxyRequestEvent withStandard(APIGatewayProxyRequestEvent event, String secret, String id,
                                                           long timestamp, byte[] body) {
        event.getHeaders().put("webhook-id", id);
        event.getHeaders().put("webhook-timestamp", Long.toString(timestamp));
        event.getHeaders().put("webhook-signature", standardSignature(secret, id, timestamp, body));
        return event;
    }
}
