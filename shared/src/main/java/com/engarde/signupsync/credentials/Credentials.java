package com.engarde.signupsync.credentials;

import java.util.Map;
import java.util.Optional;

/**
 * A source's credentials: named fields (for example {@code api_key}, {@code url}; {@code account_id},
 * {@code client_id}, {@code client_secret}; {@code private_token}, {@code organization_id};
 * {@code webhook_secret}, {@code previous_webhook_secret}). {@link #toString()} never shows a value.
 */
public record Credentials(String sourceType, CredentialOrigin origin, Map<String, String> fields) {

    public Credentials {
        fields = Map.copyOf(fields);
    }

    public Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name)).filter(v -> !v.isBlank());
    }

    /** A field that must be present; the exception names the field, never a value. */
    public String require(String name) {
        return field(name).orElseThrow(() -> new MissingCredential(sourceType, name));
    }

    @Override
    public String toString() {
        return "Credentials[" + sourceType + " from " + origin + ", fields " + fields.keySet() + "]";
    }
}
