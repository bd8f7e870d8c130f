package com.engarde.signupsync.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RoutesTest {

    static Stream<Named<Synth.Result>> repositories() {
        return Stream.of(Named.of("fixture functions", Synth.fixture()), Named.of("this repository's functions", Synth.real()));
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void everyManifestRouteIsAMethodProxyingToItsFunctionsAlias(Synth.Result synth) {
        Map<String, JsonNode> methods = synth.methods();
        synth.manifests().forEach((name, manifest) -> {
            String alias = synth.aliasId(name);
            for (JsonNode route : manifest.path("routes")) {
                String key = route.path("method").asText().toUpperCase(Locale.ROOT) + " " + route.path("path").asText();
                assertThat(methods).as("%s routes %s", name, key).containsKey(key);
                JsonNode method = methods.get(key);
                assertThat(method.path("Integration").path("Type").asText()).as(key).isEqualTo("AWS_PROXY");
                assertThat(method.path("Integration").path("IntegrationHttpMethod").asText()).as(key).isEqualTo("POST");
                assertThat(Synth.refs(method.path("Integration").path("Uri"))).as("%s invokes %s's alias", key, name)
                        .containsExactly(alias);
                // Auth is the function's job, from the same manifest: API Gateway lets every request through to it.
                assertThat(method.path("AuthorizationType").asText()).as(key).isEqualTo("NONE");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void theApiHasNoRouteThatNoManifestDeclares(Synth.Result synth) {
        Set<String> declared = new TreeSet<>();
        synth.manifests().values().forEach(manifest -> manifest.path("routes").forEach(route -> declared.add(
                route.path("method").asText().toUpperCase(Locale.ROOT) + " " + route.path("path").asText())));
        Set<String> deployed = new TreeSet<>(synth.methods().keySet());
        deployed.removeIf(key -> key.startsWith("OPTIONS "));
        assertThat(deployed).isEqualTo(declared);
    }

    @Test
    void aWebhookRouteHasItsUrlAsAStackOutput() {
        JsonNode outputs = Synth.fixture().json().path("Outputs");
        boolean found = false;
        for (JsonNode output : outputs) {
            if (output.path("Description").asText().contains("POST /fixture/webhooks/vendor")) {
                found = true;
                assertThat(output.path("Value").toString()).contains("/fixture/webhooks/vendor");
            }
        }
        assertThat(found).as("an output for the webhook URL").isTrue();
    }

    @Test
    void withoutConfiguredOriginsThereIsNoCors() {
        assertThat(Synth.fixture().methods().keySet()).noneMatch(key -> key.startsWith("OPTIONS "));
    }

    @Test
    void configuredOriginsOpenCorsOnTheAdminRoutesOnly() {
        Synth.Result synth = Synth.fixture(ProdSettings.CONTEXT);
        Set<String> options = new TreeSet<>();
        synth.methods().forEach((key, method) -> {
            if (key.startsWith("OPTIONS ")) {
                options.add(key.substring(8));
                String response = method.path("Integration").path("IntegrationResponses").toString();
                assertThat(response).contains("https://admin.example.com");
            }
        });
        assertThat(options).containsExactlyInAnyOrder("/fixture/admin/things", "/fixture/admin/things/{thing_id}",
                "/fixture/admin/things/{thing_id}/verify");
        JsonNode admin = synth.resource(synth.functionId("fixture-admin")).path("Properties").path("Environment").path("Variables");
        assertThat(admin.path("SIGNUP_SYNC_CORS_ORIGINS").asText()).isEqualTo("https://admin.example.com,https://admin-staging.example.com");
    }

    @Test
    void theStageLogsAccessAndErrorsWithoutBodiesAndThrottles() {
        for (Synth.Result synth : new Synth.Result[] {Synth.fixture(), Synth.fixture(ProdSettings.CONTEXT)}) {
            JsonNode stage = synth.resources("AWS::ApiGateway::Stage").values().iterator().next().path("Properties");
            assertThat(stage.path("AccessLogSetting").path("DestinationArn").isMissingNode()).isFalse();
            assertThat(stage.path("AccessLogSetting").path("Format").asText()).contains("$context.requestId");
            JsonNode all = stage.path("MethodSettings").get(0);
            assertThat(all.path("HttpMethod").asText()).isEqualTo("*");
            assertThat(all.path("ResourcePath").asText()).isEqualTo("/*");
            assertThat(all.path("LoggingLevel").asText()).isEqualTo("ERROR");
            assertThat(all.path("DataTraceEnabled").asBoolean(true)).isFalse();
            assertThat(all.path("ThrottlingRateLimit").asDouble()).isPositive();
            assertThat(all.path("ThrottlingBurstLimit").asInt()).isPositive();
        }
        JsonNode prod = Synth.fixture(ProdSettings.CONTEXT).resources("AWS::ApiGateway::Stage").values().iterator().next();
        assertThat(prod.path("Properties").path("StageName").asText()).isEqualTo("prod");
    }
}
