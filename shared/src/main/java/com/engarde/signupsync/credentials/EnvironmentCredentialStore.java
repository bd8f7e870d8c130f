package com.engarde.signupsync.credentials;

import com.engarde.signupsync.config.SecretValues;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;
import io.micronaut.core.annotation.Order;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bootstrap credentials, under the environment variable names users already have: plain values locally,
 * the source's Secrets Manager secret in AWS (through {@link SecretValues}), field by field as its {@link Integration}
 * declares them. Asked after stored credentials.
 */
@Singleton
@Order(100)
final class EnvironmentCredentialStore implements CredentialStore {

    private final SecretValues values;

    EnvironmentCredentialStore(SecretValues values) {
        this.values = values;
    }

    @Override
    public CredentialOrigin origin() {
        return CredentialOrigin.ENVIRONMENT;
    }

    @Override
    public Optional<Credentials> find(String sourceType) {
        Optional<Integration> integration = Integrations.declared().find(sourceType);
        if (integration.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (Integration.CredentialField field : integration.get().credentials()) {
            // A field its secret carries is read through Secrets Manager in AWS; the rest are plain settings.
            Optional<String> value = field.inSecret() ? values.get(field.variable()) : values.setting(field.variable());
            value.ifPresent(v -> found.put(field.name(), v));
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(new Credentials(sourceType, origin(), found));
    }
}
