package com.engarde.signupsync.local;

import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local run serves the README's calls over real HTTP, against a configured database. */
class LocalRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theReadmeCallsWorkOverHttp() throws Exception {
        TestDatabase.get().truncate();
        Map<String, String> env = Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_SERVICE_TOKEN", "local-test-token");
        try (LocalRun run = LocalRun.start(env)) {
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(run.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> event = http.send(post(run, "/funnel/event", """
                    {"source_type":"zoom","event_type":"event_registered","email":"ada@example.com",
                     "external_id":"webinar-42:registrant-7","occurred_at":"2026-03-01T10:00:00Z","utm_source":"linkedin"}"""),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> conversion = http.send(post(run, "/funnel/conversion", """
                    {"email":"ada@example.com","platform_user_id":"user-1001"}"""), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(event.statusCode()).isEqualTo(201);
            assertThat(conversion.statusCode()).isEqualTo(201);
            JsonNode c = JSON.readTree(conversion.body());
            assertThat(c.at("/conversion/first_touch/source_type").asText()).isEqualTo("zoom");
        }
    }

    private static HttpRequest post(LocalRun run, String path, String body) {
        return HttpRequest.newBuilder(URI.create(run.url() + path))
                .header("Authorization", "Bearer local-test-token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
