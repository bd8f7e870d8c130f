package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /health and GET / through the real Lambda handler; neither needs a token. */
@ExpectsWarnings("health check: database unreachable")
class ServiceStatusTest {

    @Test
    void healthIs200WhenTheDatabaseAnswers() {
        try (LambdaHarness lambda = new LambdaHarness()) {
            Response r = lambda.handle(LambdaHarness.sample("health.json"));

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("database").asText()).isEqualTo("ok");
        }
    }

    @Test
    void healthIs503WhenTheDatabaseIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (LambdaHarness lambda = new LambdaHarness(Map.of("engarde.database.url",
                "postgresql://nobody@127.0.0.1:" + closedPort + "/none"))) {
            Response r = lambda.handle(LambdaHarness.sample("health.json"));

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().path("status").asText()).isEqualTo("unavailable");
            assertThat(r.body()).doesNotContain("nobody").doesNotContain(String.valueOf(closedPort));
        }
    }

    @Test
    void rootNamesTheServiceButNotItsVersionToAnAnonymousCaller() {
        try (LambdaHarness lambda = new LambdaHarness()) {
            var request = LambdaHarness.request("GET", "/", null);
            request.getHeaders().remove("Authorization");
            Response r = lambda.handle(request);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("service").asText()).isEqualTo("signup-sync");
            assertThat(r.json().has("version")).as(r.body()).isFalse();
            assertThat(r.body()).doesNotContainPattern("\\d+\\.\\d+\\.\\d+");
        }
    }
}
