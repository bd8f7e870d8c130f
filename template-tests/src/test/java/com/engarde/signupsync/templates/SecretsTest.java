package com.engarde.signupsync.templates;

import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.integrations.Integrations;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

    /** Environment variables a function may receive as plain values: none of them is a secret. */
    static final Set<String> PLAIN_VARIABLES = Set.of("SIGNUP_SYNC_STAGE", "SIGNUP_SYNC_METRICS_NAMESPACE",
            "SIGNUP_SYNC_EVENT_BUS_NAME", "SIGNUP_SYNC_CORS_ORIGINS", "JAVA_TOOL_OPTIONS", "ADMIN_JWT_ISSUER", "ADMIN_JWT_AUDIENCE");

    static Stream<Named<Synth.Result>> configurations() {
        return Stream.of(Named.of("fixture, dev", Synth.fixture()), Named.of("fixture, prod", Synth.fixture(ProdSettings.CONTEXT)),
                Named.of("this repository's functions", Synth.real()));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void everySecretIsGeneratedBySecretsManagerNoneIsWrittenInTheTemplate(Synth.Result synth) {
        assertThat(synth.resources("AWS::SecretsManager::Secret").values()).isNotEmpty().allSatisfy(secret -> {
            assertThat(secret.path("Properties").has("SecretString")).isFalse();
            assertThat(secret.path("Properties").has("GenerateSecretString")).isTrue();
        });
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void functionsGetSecretArnsNeverSecretValues(Synth.Result synth) {
        Set<String> secretVariables = new HashSet<>();
        for (SecretName name : SecretName.all()) {
            secretVariables.addAll(name.variables());
        }
        secretVariables.add("ENGARDE_DATABASE_URL");
        synth.resources("AWS::Lambda::Function").values().forEach(function ->
                function.path("Properties").path("Environment").path("Variables").fieldNames().forEachRemaining(key ->
                        assertThat(secretVariables).as("a secret's plain variable in the template").doesNotContain(key)));
        synth.manifests().forEach((name, manifest) -> {
            Set<String> plain = new HashSet<>(PLAIN_VARIABLES);
            manifest.path("settings").forEach(setting -> plain.add(setting.asText()));
            manifest.path("optionalSettings").forEach(setting -> plain.add(setting.asText()));
            if (plain.contains("integrations")) {
                // Every declared integration's required credential field that no secret carries.
                Integrations.declared().all().forEach(i -> i.credentials().stream().filter(f -> f.required() && !f.inSecret())
                        .forEach(f -> plain.add(f.variable())));
            }
            synth.resource(synth.functionId(name)).path("Properties").path("Environment").path("Variables").fields()
                    .forEachRemaining(variable -> {
                        String key = variable.getKey();
                        if (key.endsWith("_SECRET_ARN")) {
                            assertThat(variable.getValue().isTextual()).as(key + " is a reference, not a literal").isFalse();
                        } else {
                            assertThat(plain).as("%s: %s is neither an ARN nor a declared setting", name, key).contains(key);
                        }
                    });
        });
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void noSecretFromTheEnvironmentOrTheDatabaseLeaksIntoTheTemplate(Synth.Result synth) {
        String template = synth.json().toString();
        // The surefire configuration puts these canaries in the environment the app synthesizes in.
        assertThat(System.getenv("SIGNUP_SYNC_SERVICE_TOKEN")).startsWith("canary-");
        assertThat(template).doesNotContain("canary-");
        assertThat(template).doesNotContainIgnoringCase("\"MasterUserPassword\":\"");
        JsonNode db = synth.resources("AWS::RDS::DBInstance").values().iterator().next().path("Properties");
        assertThat(db.path("MasterUserPassword").isTextual()).isFalse();
    }

    /**
     * The scoped tokens travel in the service-token secret: every function with a service-token route reads that
     * secret (so a scoped token works on each such route), and no other function does.
     */
    @ParameterizedTest
    @MethodSource("configurations")
    void everyServiceTokenRouteIsServedByAFunctionThatReadsEveryToken(Synth.Result synth) {
        assertThat(SecretName.SERVICE_TOKEN.variables()).contains("SIGNUP_SYNC_SCOPED_TOKENS");
        Map<String, JsonNode> secrets = synth.resources("AWS::SecretsManager::Secret");
        String tokens = secrets.entrySet().stream()
                .filter(e -> e.getValue().path("Properties").path("Name").asText().endsWith("/" + SecretName.SERVICE_TOKEN.manifestName()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(secrets.get(tokens).path("Properties").path("Description").asText()).contains("SIGNUP_SYNC_SCOPED_TOKENS");
        AtomicInteger withServiceTokenRoutes = new AtomicInteger();
        synth.manifests().forEach((name, manifest) -> {
            boolean serviceTokenRoutes = false;
            for (JsonNode route : manifest.path("routes")) {
                serviceTokenRoutes |= route.path("auth").asText().equals("service-token");
            }
            JsonNode variables = synth.resource(synth.functionId(name)).path("Properties").path("Environment").path("Variables");
            Set<String> granted = new HashSet<>();
            synth.roleStatements(name).stream().filter(s -> Synth.texts(s.path("Action")).contains("secretsmanager:GetSecretValue"))
                    .forEach(s -> granted.addAll(Synth.refs(s.path("Resource"))));
            if (serviceTokenRoutes) {
                withServiceTokenRoutes.incrementAndGet();
                assertThat(Synth.refs(variables.path(SecretName.SERVICE_TOKEN.arnVariable()))).as(name).containsExactly(tokens);
                assertThat(granted).as(name).contains(tokens);
            } else {
                assertThat(variables.has(SecretName.SERVICE_TOKEN.arnVariable())).as(name).isFalse();
                assertThat(granted).as(name).doesNotContain(tokens);
            }
        });
        assertThat(withServiceTokenRoutes.get()).as("functions with a service-token route").isPositive();
    }
}
