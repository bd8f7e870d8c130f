package com.engarde.signupsync.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationsTest {

    static Stream<Named<Synth.Result>> repositories() {
        return Stream.of(Named.of("fixture functions", Synth.fixture()), Named.of("this repository's functions", Synth.real()));
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void theCustomResourceFunctionRunsAtDeployThroughItsAliasBeforeAnyDatabaseFunctionIsPublished(Synth.Result synth) {
        synth.manifests().forEach((name, manifest) -> {
            boolean custom = false;
            for (JsonNode trigger : manifest.path("triggers")) {
                custom |= trigger.path("type").asText().equals("custom-resource");
            }
            if (!custom) {
                return;
            }
            String alias = synth.aliasId(name);
            Map.Entry<String, JsonNode> run = synth.json().path("Resources").properties().stream()
                    .filter(e -> e.getValue().path("Type").asText().startsWith("Custom::"))
                    .filter(e -> !e.getValue().path("Type").asText().equals("Custom::VpcRestrictDefaultSG"))
                    .findFirst().orElseThrow();
            assertThat(run.getValue().path("Properties").path("RunWhenChanged").asText()).hasSize(64);
            // The provider framework's function invokes the user function's alias.
            String provider = run.getValue().path("Properties").path("ServiceToken").path("Fn::GetAtt").get(0).asText();
            assertThat(Synth.refs(synth.resource(provider).path("Properties").path("Environment"))).containsExactly(alias);

            synth.manifests().forEach((other, otherManifest) -> {
                if (!other.equals(name) && otherManifest.path("database").asBoolean(false)) {
                    assertThat(Synth.texts(synth.resource(synth.aliasId(other)).path("DependsOn")))
                            .as("%s is published after the migrations", other).contains(run.getKey());
                }
            });
        });
    }
}
