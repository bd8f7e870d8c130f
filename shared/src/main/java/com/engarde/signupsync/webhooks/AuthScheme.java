package com.engarde.signupsync.webhooks;

/** How a delivery proved that it came from the sender. */
public enum AuthScheme {
    /** A static secret in a header, compared whole. */
    SHARED_SECRET("shared-secret"),
    /** An HMAC-SHA256 of the raw body alone, hex or base64, in a header. */
    SIGNATURE("signature"),
    /** Standard Webhooks: HMAC-SHA256 of {@code id.timestamp.body}, with the timestamp within tolerance. */
    STANDARD_WEBHOOKS("standard-webhooks");

    private final String id;

    AuthScheme(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
