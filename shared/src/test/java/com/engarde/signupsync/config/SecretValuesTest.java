package com.engarde.signupsync.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretValuesTest {

    private static StubSecretsManager stub;

    @BeforeAll
    static void start() throws IOException {
        stub = new StubSecretsManager();
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    private static ApplicationContext context(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("signup.sync.secrets.endpoint", stub.endpoint());
        return ApplicationContext.run(all);
    }

    @Test
    void withoutAnArnThePlainSettingIsTheValue() {
        int before = stub.reads();
        try (ApplicationContext context = context(Map.of("poshvip.webhook.secret", "local-posh-secret"))) {
            SecretValues secrets = context.getBean(SecretValues.class);
            assertThat(secrets.get("POSHVIP_WEBHOOK_SECRET")).contains("local-posh-secret");
            assertThat(secrets.get("SIGNUP_SYNC_ENCRYPTION_KEY")).isEmpty();
        }
        assertThat(stub.reads()).isEqualTo(before);
    }

    @Test
    void withAnArnEachVariableIsTheFieldOfTheSameName() {
        String arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:signup-sync/dev/zoom-1";
        stub.put(arn, "{\"ZOOM_ACCOUNT_ID\":\"acct\",\"ZOOM_CLIENT_ID\":\"client\",\"ZOOM_CLIENT_SECRET\":\"s3cret\"}");
        try (ApplicationContext context = context(Map.of("zoom.secret.arn", arn,
                "zoom.client.secret", "the plain setting loses to the secret"))) {
            SecretValues secrets = context.getBean(SecretValues.class);
            assertThat(secrets.get("ZOOM_ACCOUNT_ID")).contains("acct");
            assertThat(secrets.get("ZOOM_CLIENT_ID")).contains("client");
            assertThat(secrets.get("ZOOM_CLIENT_SECRET")).contains("s3cret");
        }
    }

    @Test
    void aPlainStringSecretIsItsFirstVariable() {
        String arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:signup-sync/dev/poshvip-webhook-secret-1";
        stub.put(arn, "  posh-shared-secret\n");
        try (ApplicationContext context = context(Map.of("poshvip.webhook.secret.arn", arn))) {
            assertThat(context.getBean(SecretValues.class).get("POSHVIP_WEBHOOK_SECRET")).contains("posh-shared-secret");
        }
    }

    @Test
    void aSecretThatLooksLikeJsonButIsNotFailsWithoutShowingIt() {
        String arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:signup-sync/dev/brevo-1";
        stub.put(arn, "{not json, but secret-value-42");
        try (ApplicationContext context = context(Map.of("brevo.secret.arn", arn))) {
            assertThatThrownBy(() -> context.getBean(SecretValues.class).get("BREVO_API_KEY"))
                    .isInstanceOf(IllegalStateException.class)
                    .message().doesNotContain("secret-value-42");
        }
    }

    @Test
    void onlyCatalogedVariablesAreSecrets() {
        try (ApplicationContext context = context(Map.of())) {
            assertThatThrownBy(() -> context.getBean(SecretValues.class).get("FUNNEL_SYNC_TIME"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
