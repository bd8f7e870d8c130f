package com.engarde.signupsync.auth;

import com.engarde.signupsync.config.StubSecretsManager;
import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.manifest.ServiceScope;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceTokensTest {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:signup-sync/prod/service-token-1";

    @Test
    void plainSettingsKeepWorkingLocally() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "signup.sync.service.token", "local-current", "signup.sync.service.token.previous", "local-previous"))) {
            ServiceTokens tokens = context.getBean(ServiceTokens.class);
            assertThat(accepted(tokens, "Bearer local-current")).isTrue();
            assertThat(accepted(tokens, "bearer local-previous")).isTrue();
            assertThat(accepted(tokens, "Bearer something-else")).isFalse();
            assertThat(accepted(tokens, "local-current")).isFalse();
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
            assertThat(accepted(tokens, "Bearer old-token")).isTrue();
            assertThat(accepted(tokens, "Bearer new-token")).isFalse();

            // Step 1: the new token becomes current, the old one stays valid as previous.
            stub.put(ARN, "{\"SIGNUP_SYNC_SERVICE_TOKEN\":\"new-token\",\"SIGNUP_SYNC_SERVICE_TOKEN_PREVIOUS\":\"old-token\"}");
            assertThat(accepted(tokens, "Bearer old-token")).isTrue();
            assertThat(accepted(tokens, "Bearer new-token")).isTrue();

            // Step 2, once every caller sends the new token: previous is dropped.
            stub.put(ARN, "{\"SIGNUP_SYNC_SERVICE_TOKEN\":\"new-token\"}");
            assertThat(accepted(tokens, "Bearer old-token")).isFalse();
            assertThat(accepted(tokens, "Bearer new-token")).isTrue();
        }
    }

    private static final String SCOPED = "[{\"name\":\"backend-funnel\",\"sha256\":\"" + sha256("funnel-token")
            + "\",\"scopes\":[\"funnel:write\",\"analytics:read\"]},"
            + "{\"name\":\"retired\",\"sha256\":\"" + sha256("retired-token").toUpperCase() + "\",\"scopes\":[]}]";

    @Test
    void theSingleTokenHoldsEveryScopeAndAScopedTokenOnlyItsOwn() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("signup.sync.service.token", "local-current",
                "signup.sync.scoped.tokens", SCOPED))) {
            ServiceTokens tokens = context.getBean(ServiceTokens.class);
            assertThat(tokens.identify("Bearer local-current").orElseThrow().scopes())
                    .containsExactlyInAnyOrder(ServiceScope.values());
            ServiceTokens.Caller funnel = tokens.identify("Bearer funnel-token").orElseThrow();
            assertThat(funnel.name()).isEqualTo("backend-funnel");
            assertThat(funnel.scopes()).containsExactlyInAnyOrder(ServiceScope.FUNNEL_WRITE, ServiceScope.ANALYTICS_READ);
            assertThat(funnel.holds(ServiceScope.USAGE_WRITE)).isFalse();
            assertThat(funnel.holdsEveryScope()).isFalse();
            assertThat(tokens.identify("Bearer retired-token").orElseThrow().scopes()).as("known, may call nothing").isEmpty();
            assertThat(tokens.identify("Bearer " + sha256("funnel-token"))).as("the digest is not the token").isEmpty();
            assertThat(tokens.identify("Bearer funnel-tokenx")).isEmpty();
            assertThat(tokens.identify("funnel-token")).isEmpty();
        }
    }

    @Test
    void scopedTokensComeFromTheServiceTokenSecretAndFollowItsChanges() throws Exception {
        try (StubSecretsManager stub = new StubSecretsManager();
             ApplicationContext context = ApplicationContext.run(Map.of(
                     "signup.sync.secrets.endpoint", stub.endpoint(),
                     "signup.sync.secrets.ttl", "0s",
                     "signup.sync.service.token.secret.arn", ARN))) {
            ServiceTokens tokens = context.getBean(ServiceTokens.class);
            // As a JSON list inside the secret's object, the way an operator writes it in the console.
            stub.put(ARN, "{\"SIGNUP_SYNC_SERVICE_TOKEN\":\"all-token\",\"SIGNUP_SYNC_SCOPED_TOKENS\":" + SCOPED + "}");
            assertThat(tokens.identify("Bearer funnel-token").map(ServiceTokens.Caller::name)).contains("backend-funnel");
            assertThat(tokens.identify("Bearer all-token").orElseThrow().holdsEveryScope()).isTrue();

            // The same list as a JSON string, and with the funnel token moved to usage:write.
            String moved = SCOPED.replace("[\"funnel:write\",\"analytics:read\"]", "[\"usage:write\"]");
            stub.put(ARN, "{\"SIGNUP_SYNC_SERVICE_TOKEN\":\"all-token\",\"SIGNUP_SYNC_SCOPED_TOKENS\":"
                    + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(moved) + "}");
            assertThat(tokens.identify("Bearer funnel-token").orElseThrow().scopes()).containsExactly(ServiceScope.USAGE_WRITE);

            stub.put(ARN, "{\"SIGNUP_SYNC_SERVICE_TOKEN\":\"all-token\"}");
            assertThat(tokens.identify("Bearer funnel-token")).isEmpty();
            assertThat(tokens.identify("Bearer all-token")).isPresent();
        }
    }

    @Test
    void aMalformedConfigurationRefusesEveryTokenAndSaysWhichRuleWithoutAValue() {
        String malformed = SCOPED.replace("analytics:read", "analytics:raed");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (ApplicationContext context = ApplicationContext.run(Map.of("signup.sync.service.token", "local-current",
                "signup.sync.scoped.tokens", malformed))) {
            ServiceTokens tokens = context.getBean(ServiceTokens.class);
            assertThat(tokens.identify("Bearer local-current")).as("fails closed, the all-scopes token too").isEmpty();
            assertThat(tokens.identify("Bearer funnel-token")).isEmpty();
            assertThat(tokens.identify("Bearer retired-token")).isEmpty();
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("SIGNUP_SYNC_SCOPED_TOKENS is malformed").contains("entry 1 (backend-funnel)")
                .contains("every scope must be one of funnel:write, analytics:read, sync:run, usage:write")
                .doesNotContain(sha256("funnel-token")).doesNotContain("local-current").doesNotContain("analytics:raed");
        assertThat(log.split("SIGNUP_SYNC_SCOPED_TOKENS is malformed", -1)).as("one line for one mistake").hasSize(2);
    }

    private static boolean accepted(ServiceTokens tokens, String header) {
        Optional<ServiceTokens.Caller> caller = tokens.identify(header);
        caller.ifPresent(c -> assertThat(c.scopes()).isEqualTo(EnumSet.allOf(ServiceScope.class)));
        return caller.isPresent();
    }

    static String sha256(String token) {
        return Sha256.hex(token);
    }
}
