package com.engarde.signupsync.credentials;

import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.config.SecretValues;
import io.micronaut.core.annotation.Order;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bootstrap credentials, under the environment variable names users already have: plain values locally,
 * the source's Secrets Manager secret in AWS (through {@link SecretValues}). Asked after stored credentials.
 */
@Singleton
@Order(100)
final class EnvironmentCredentialStore implements CredentialStore {

    /** A credential field and the variable that carries it; a secret is read through Secrets Manager in AWS. */
    private record Field(String name, String variable) {
        boolean secret() {
            return SecretName.carrying(variable).isPresent();
        }
    }

    private static final Map<String, List<Field>> FIELDS = Map.of(
            "easyappointments", List.of(new Field("url", "EASYAPPOINTMENTS_URL"),
                    new Field("api_key", "EASYAPPOINTMENTS_API_KEY")),
            "zoom", List.of(new Field("account_id", "ZOOM_ACCOUNT_ID"), new Field("client_id", "ZOOM_CLIENT_ID"),
                    new Field("client_secret", "ZOOM_CLIENT_SECRET")),
            "eventbrite", List.of(new Field("private_token", "EVENTBRITE_OAUTH_TOKEN"),
                    new Field("organization_id", "EVENTBRITE_ORGANIZATION_ID")),
            "poshvip", List.of(new Field("webhook_secret", "POSHVIP_WEBHOOK_SECRET"),
                    new Field("previous_webhook_secret", "POSHVIP_WEBHOOK_SECRET_PREVIOUS")),
            "brevo", List.of(new Field("api_key", "BREVO_API_KEY")));

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
        List<Field> fields = FIELDS.get(sourceType);
        if (fields == null) {
            return Optional.empty();
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (Field field : fields) {
            Optional<String> value = field.secret() ? values.get(field.variable()) : values.setting(field.variable());
            value.ifPresent(v -> found.put(field.name(), v));
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(new Credentials(sourceType, origin(), found));
    }
}
