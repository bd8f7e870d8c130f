package com.engarde.signupsync.webhooks;

import com.engarde.signupsync.crypto.Sha256;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One configured webhook secret. Compared whole when a sender puts it in a header; used as an HMAC key when a
 * sender signs. A Standard Webhooks secret ({@code whsec_<base64>}) signs with its decoded bytes; senders
 * that sign with the text of the secret are accepted too, so either form may be configured.
 */
public final class WebhookSecret {

    private static final String STANDARD_PREFIX = "whsec_";

    private final byte[] digest;
    private final List<byte[]> signingKeys;

    private WebhookSecret(String value) {
        this.digest = Sha256.digest(value);
        List<byte[]> keys = new ArrayList<>(2);
        if (value.startsWith(STANDARD_PREFIX)) {
            base64(value.substring(STANDARD_PREFIX.length())).filter(k -> k.length > 0).ifPresent(keys::add);
        }
        keys.add(value.getBytes(StandardCharsets.UTF_8));
        if (!value.startsWith(STANDARD_PREFIX)) {
            // The Standard Webhooks libraries decode an unprefixed secret as base64 too.
            base64(value).filter(k -> k.length >= 16).ifPresent(keys::add);
        }
        this.signingKeys = List.copyOf(keys);
    }

    /** The secret, or empty when the configured value is blank (not configured). */
    public static Optional<WebhookSecret> of(String configured) {
        return configured == null || configured.isBlank() ? Optional.empty()
                : Optional.of(new WebhookSecret(configured.strip()));
    }

    /**
     * Whether a presented secret is this one. Compared as SHA-256 digests in constant time, so neither the
     * content nor the length of the secret leaks through timing.
     */
    public boolean matches(String presented) {
        return presented != null && Sha256.same(digest, Sha256.digest(presented.strip()));
    }

    /** The HMAC keys a sender may have signed with. */
    List<byte[]> signingKeys() {
        return signingKeys;
    }

    private static Optional<byte[]> base64(String value) {
        try {
            return Optional.of(Base64.getDecoder().decode(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Never the secret itself. */
    @Override
    public String toString() {
        return "WebhookSecret[***]";
    }
}
