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

    /**
     * The application role's grants (data rights only, the audit log append-only) are applied by db-migrate after the
     * migrations, so its deploy-time run must come again when they change, not only when a migration does.
     */
    @org.junit.jupiter.api.Test
    void theMigrationRunsAgainWhenTheApplicationRolesGrantsChange() {
        Synth.Result synth = Synth.real();
        JsonNode manifest = synth.manifests().get("db-migrate");
        java.util.List<String> watched = new java.util.ArrayList<>();
        manifest.path("triggers").forEach(t -> t.path("runWhenChanged").forEach(p -> watched.add(p.asText())));
        assertThat(watched).contains("shared/src/main/resources/db/migration",
                "shared/src/main/java/com/engarde/signupsync/persistence/ApplicationRole.java");
        assertThat(synth.root().resolve("shared/src/main/java/com/engarde/signupsync/persistence/ApplicationRole.java"))
                .content().contains("platform_admin_actions");
        java.util.List<String> digests = synth.json().path("Resources").properties().stream()
                .filter(e -> e.getValue().path("Type").asText().equals("Custom::DbMigrate"))
                .map(e -> e.getValue().path("Properties").path("RunWhenChanged").asText()).toList();
        assertThat(digests).hasSize(1);
        assertThat(digests.get(0)).hasSize(64);
    }
}
