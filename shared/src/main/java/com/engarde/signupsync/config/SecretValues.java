package com.engarde.signupsync.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The one way to read a secret setting, by the name of its environment variable (SIGNUP_SYNC_SERVICE_TOKEN,
 * POSHVIP_WEBHOOK_SECRET, ...). Where the function was given the ARN of the secret that carries it
 * ({@link SecretName#arnVariable()}), the value comes from Secrets Manager; otherwise from the plain setting
 * (the environment variable, or its property form such as {@code signup.sync.service.token} in tests).
 */
@Singleton
public class SecretValues {

    private final Environment environment;
    private final SecretStore store;
    private final ObjectMapper json;

    public SecretValues(Environment environment, SecretStore store, ObjectMapper json) {
        this.environment = environment;
        this.store = store;
        this.json = json;
    }

    public Optional<String> get(String variable) {
        SecretName secret = SecretName.carrying(variable)
                .orElseThrow(() -> new IllegalArgumentException(variable + " is not carried by any SecretName"));
        Optional<String> arn = setting(secret.arnVariable());
        if (arn.isEmpty()) {
            return setting(variable);
        }
        String value = store.secretString(arn.get());
        JsonNode parsed = parseObject(value);
        if (parsed == null) {
            return variable.equals(secret.variables().get(0)) ? nonBlank(value) : Optional.empty();
        }
        JsonNode field = parsed.get(variable);
        if (field == null || field.isNull()) {
            return Optional.empty();
        }
        // A list or object (the scoped tokens) is passed on as its JSON text, as the plain setting would hold it.
        return nonBlank(field.isContainerNode() ? field.toString() : field.asText());
    }

    /** A plain setting by its environment variable name, read as the property it maps to. */
    public Optional<String> setting(String variable) {
        return environment.getProperty(SecretName.property(variable), String.class).flatMap(SecretValues::nonBlank);
    }

    private JsonNode parseObject(String value) {
        if (!value.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = json.readTree(value);
            return node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            // Never include the value: it is a secret.
            throw new IllegalStateException("a secret that starts with '{' is not a JSON object");
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
