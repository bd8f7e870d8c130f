package com.engarde.signupsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated API document passes the OpenAPI community's linter: Redocly CLI (the version pinned in the root
 * package.json, installed by {@code npm ci}) with its recommended rules ({@code redocly.yaml}), no error.
 */
class ApiDocumentLintTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDocumentHasNoLintError() throws Exception {
        Path root = repositoryRoot();
        Path cli = root.resolve("node_modules/@redocly/cli/bin/cli.js");
        assertThat(cli).as("Redocly CLI: run `npm ci` in the repository root first").exists();
        // The document as served: the generated one with the declared integrations' value lists.
        Path document = Files.createDirectories(root.resolve("local/target")).resolve("served-openapi.json");
        Files.writeString(document, ApiDocument.load().toPrettyString());

        Process lint = new ProcessBuilder("node", cli.toString(), "lint", "--format=json",
                "--config=" + root.resolve("redocly.yaml"), document.toString())
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(5, TimeUnit.MINUTES)).as("the linter finished").isTrue();

        JsonNode report = JSON.readTree(out.substring(out.indexOf('{')));
        List<String> errors = new ArrayList<>();
        for (JsonNode problem : report.path("problems")) {
            if ("error".equals(problem.path("severity").asText())) {
                errors.add(problem.path("ruleId").asText() + ": " + problem.path("message").asText() + " at "
                        + problem.at("/location/0/pointer").asText());
            }
        }
        assertThat(report.has("totals")).as("the linter's report").isTrue();
        assertThat(errors).as("lint errors").isEmpty();
        assertThat(report.at("/totals/errors").asInt()).isZero();
    }

    private static Path repositoryRoot() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("redocly.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IOException("no redocly.yaml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
