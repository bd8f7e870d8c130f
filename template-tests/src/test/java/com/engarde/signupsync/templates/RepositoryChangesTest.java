package com.engarde.signupsync.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What changes in the repository do to the template, in a copy of the fixture repository: a new function
 * folder with a manifest, and a new migration. Neither needs any change to the CDK code.
 */
class RepositoryChangesTest {

    private static Synth.Result before;
    private static Synth.Result after;

    @BeforeAll
    static void changeACopy() throws IOException {
        before = Synth.fixture();
        Path copy = Synth.copyOf(Synth.fixtureRoot());
        Path folder = Files.createDirectories(copy.resolve("functions/sync-beta"));
        Files.writeString(folder.resolve("function.json"), """
                {
                  "name": "sync-beta",
                  "description": "Added by a test, never by CDK code.",
                  "handler": "com.example.fixture.BetaHandler",
                  "memoryMb": 768,
                  "timeoutSeconds": 120,
                  "database": true,
                  "egress": true,
                  "secrets": ["service-token", "zoom"],
                  "routes": [{"method": "POST", "path": "/fixture/beta/run", "auth": "service-token", "scope": "sync:run"}],
                  "triggers": [{"type": "bus", "source": "beta"}]
                }
                """);
        Files.writeString(copy.resolve("migrations/V2__beta.sql"), "CREATE TABLE beta (id bigint PRIMARY KEY);\n");
        after = Synth.of(copy, Map.of());
    }

    @Test
    void aNewFunctionFolderBecomesAFunctionWithItsRouteRuleAndSecret() {
        String function = after.functionId("sync-beta");
        JsonNode properties = after.resource(function).path("Properties");
        assertThat(properties.path("MemorySize").asInt()).isEqualTo(768);
        assertThat(properties.path("FunctionName").asText()).isEqualTo("signup-sync-dev-sync-beta");

        JsonNode method = after.methods().get("POST /fixture/beta/run");
        assertThat(method).isNotNull();
        assertThat(Synth.refs(method.path("Integration").path("Uri"))).containsExactly(after.aliasId("sync-beta"));

        assertThat(after.resources("AWS::Events::Rule").values()).anySatisfy(rule -> {
            assertThat(rule.path("Properties").path("EventPattern").path("detail").path("source_type").path(0).asText()).isEqualTo("beta");
            assertThat(Synth.refs(rule.path("Properties").path("Targets").get(0).path("Arn"))).containsExactly(after.aliasId("sync-beta"));
        });
        assertThat(after.resources("AWS::SecretsManager::Secret").values())
                .anySatisfy(secret -> assertThat(secret.path("Properties").path("Name").asText()).isEqualTo("signup-sync/dev/zoom"));
        assertThat(after.resources("AWS::Lambda::Function")).hasSize(before.resources("AWS::Lambda::Function").size() + 1);
    }

    @Test
    void aNewMigrationRunsTheDeployTimeFunctionAgainAndNothingElseDoes() {
        JsonNode runBefore = before.resources("Custom::FixtureMigrate").values().iterator().next().path("Properties");
        JsonNode runAfter = after.resources("Custom::FixtureMigrate").values().iterator().next().path("Properties");
        assertThat(runAfter.path("RunWhenChanged").asText()).isNotEqualTo(runBefore.path("RunWhenChanged").asText());

        Synth.Result unchanged = Synth.of(Synth.copyOf(Synth.fixtureRoot()), Map.of());
        JsonNode runUnchanged = unchanged.resources("Custom::FixtureMigrate").values().iterator().next().path("Properties");
        assertThat(runUnchanged.path("RunWhenChanged").asText()).isEqualTo(runBefore.path("RunWhenChanged").asText());
    }
}
