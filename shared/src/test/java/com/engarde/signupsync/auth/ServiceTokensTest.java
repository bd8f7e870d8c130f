package com.engarde.signupsync.auth;

import com.engarde.signupsync.config.StubSecretsManager;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceTokensTest {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:signup-sync/prod/service-token-1";

    @Test
    void plainSettingsKeepWorkingLocally() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "signup.sync.service.token", "local-current", "signup.sync.service.token.previous", "local-previous"))) {
            ServiceTokens tokens = context.getBean(ServiceTokens.class);
            assertThat(tokens.accepts("Bearer local-current")).isTrue();
            assertThat(tokens.accepts("bearer local-previous")).isTrue();
            assertThat(tokens.accepts("Bearer something-else")).isFalse();
            assertThat(tokens.accepts("local-current")).isFalse();
        }
    }

    @Test
    void aRotationThroughTheSecretNeverRefusesACaller() throws Exception {
        try (StubSecretsManager stub = new StubSecretsManager();
             ApplicationContext context = ApplicationContext.run(Map.of(
                     "signup.sync.secrets.endpoint", stub.endpoint(),
                     "signup.sync.secrets.ttl", "0s",
                     "signup.sync.service.token.secret.arn", ARN))) {
            ServiceTokens tokens = context.getBean(ServiceTokens.class);
            stub.put(ARN, "{\"SIGNUP_SYNC_SERVICE_TOKEN\":\"old-token\"}");
            assertThat(tokens.accepts("Bearer old-token")).isTrue();
            assertThat(tokens.accepts("Bearer new-token")).isFalse();

            // Step 1: the new token becomes current, the old one stays valid as previous.
            stub.put(ARN, "{\"SIGNUP_SYNC_SERVICE_TOKEN\":\"new-token\",\"SIGNUP_SYNC_SERVICE_TOKEN_PREVIOUS\":\"old-token\"}");
            assertThat(tokens.accepts("Bearer old-token")).isTrue();
            assertThat(tokens.accepts("Bearer new-token")).isTrue();

            // Step 2, once every caller sends the new token: previous is dropped.
            stub.put(ARN, "{\"SIGNUP_SYNC_SERVICE_TOKEN\":\"new-token\"}");
            assertThat(tokens.accepts("Bearer old-token")).isFalse();
            assertThat(tokens.accepts("Bearer new-token")).isTrue();
        }
    }
}
