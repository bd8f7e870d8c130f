package com.engarde.signupsync.local;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.testing.EventbriteStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The local run answers the README's own curl examples over real HTTP, as the README says it does. */
class LocalRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CURL_POST = Pattern.compile(
            "curl -s -X POST http://localhost:8080(/\\S+) \\\\\\n.*?-d '([^']*)'", Pattern.DOTALL);

    @Test
    void theReadmeCurlExamplesWorkAsShown() throws Exception {
        Map<String, String> examples = readmeExamples();
        assertThat(examples).containsKeys("/funnel/event", "/funnel/conversion", "/funnel/events");

        TestDatabase.get().truncate();
        Map<String, String> env = Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_SERVICE_TOKEN", "local-test-token");
        try (LocalRun run = LocalRun.start(env)) {
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(run.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> event = send(http, run, "/funnel/event", examples);
            HttpResponse<String> again = send(http, run, "/funnel/event", examples);
            HttpResponse<String> conversion = send(http, run, "/funnel/conversion", examples);
            HttpResponse<String> batch = send(http, run, "/funnel/events", examples);

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(event.statusCode()).isEqualTo(201);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(again.body()).path("created").asBoolean()).isFalse();
            assertThat(conversion.statusCode()).isEqualTo(201);
            JsonNode c = JSON.readTree(conversion.body());
            assertThat(c.at("/conversion/first_touch/source_type").asText()).isEqualTo("zoom");
            assertThat(c.at("/conversion/first_touch/utm_campaign").asText()).isEqualTo("spring-launch");
            JsonNode b = JSON.readTree(batch.body());
            assertThat(batch.statusCode()).isEqualTo(200);
            assertThat(b.path("created").asInt()).isEqualTo(1);
            assertThat(b.path("errors").asInt()).isEqualTo(1);
            assertThat(b.at("/results/1/field").asText()).isEqualTo("email");
        }
    }

    @Test
    void thePrintedAdminTokenWorksAndTheEncryptionKeyIsKeptInTheDataFolder(@TempDir Path data) throws Exception {
        TestDatabase.get().truncate();
        Map<String, String> env = Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_DATA_DIR", data.toString());
        String key;
        try (LocalRun run = LocalRun.start(env)) {
            assertThat(run.adminToken()).isNotBlank();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(run.url()
                            + "/api/admin/sources/brevo/credentials"))
                    .header("Authorization", "Bearer " + run.adminToken()).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"local-run-brevo-key-0a1b2c3d\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            HttpResponse<String> withServiceToken = http.send(HttpRequest.newBuilder(URI.create(run.url() + "/api/admin/sources"))
                    .header("Authorization", "Bearer " + run.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withServiceToken.statusCode()).isEqualTo(401);
            key = Files.readString(data.resolve(LocalRun.KEY_FILE)).strip();
            assertThat(java.util.Base64.getDecoder().decode(key)).hasSize(32);
        }
        try (LocalRun again = LocalRun.start(env)) {
            assertThat(Files.readString(data.resolve(LocalRun.KEY_FILE)).strip()).isEqualTo(key);
            assertThat(again.context().getBean(com.engarde.signupsync.credentials.SourceCredentials.class).find("brevo")
                    .orElseThrow().require("api_key")).as("stored credentials open after a restart")
                    .isEqualTo("local-run-brevo-key-0a1b2c3d");
        }
    }

    @Test
    void syncEventbriteAndSyncAllRunAgainstTheStubEventbrite() throws Exception {
        TestDatabase.get().truncate();
        try (EventbriteStub stub = new EventbriteStub(50)) {
            stub.generate(4, 5, java.time.Instant.parse("2026-06-01T00:00:00Z"));
            Map<String, String> env = Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                    "SIGNUP_SYNC_SERVICE_TOKEN", "local-test-token", "EVENTBRITE_API_URL", stub.apiUrl(),
                    "EVENTBRITE_OAUTH_TOKEN", EventbriteStub.TOKEN);
            try (LocalRun run = LocalRun.start(env)) {
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> started = post(http, run, "/sync/eventbrite");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                awaitBus(run);
                JsonNode status = JSON.readTree(get(http, run, "/sync/status/eventbrite").body());
                assertThat(status.toString()).contains("\"succeeded\"");
                // 20 orders of 2 tickets (half of them buyer-only), 20 orders.
                assertThat(Rows.number("SELECT count(*) FROM sync_records WHERE source_type = 'eventbrite'")).isEqualTo(60);

                stub.clearRequests();
                HttpResponse<String> all = post(http, run, "/sync/all");
                assertThat(all.statusCode()).as(all.body()).isEqualTo(202);
                assertThat(all.body()).contains("\"eventbrite\"");
                awaitBus(run);
                assertThat(stub.count(r -> r.contains("/attendees/?changed_since="))).as("the second run is incremental")
                        .isEqualTo(1);
                assertThat(Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE source_type = 'eventbrite'"
                        + " AND status = 'succeeded'")).isEqualTo(2);
            }
        }
    }

    private static void awaitBus(LocalRun run) throws InterruptedException {
        assertThat(run.context().getBean(InProcessBus.class).awaitIdle(java.time.Duration.ofSeconds(60)))
                .as("the local bus settled").isTrue();
    }

    private static HttpResponse<String> post(HttpClient http, LocalRun run, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(run.url() + path)).header("Authorization", "Bearer local-test-token")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, LocalRun run, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(run.url() + path)).header("Authorization", "Bearer local-test-token")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> readmeExamples() throws Exception {
        Path readme = LambdaHarness.eventsDir().getParent().resolve("README.md");
        Matcher m = CURL_POST.matcher(Files.readString(readme));
        Map<String, String> examples = new LinkedHashMap<>();
        while (m.find()) {
            examples.putIfAbsent(m.group(1), m.group(2));
        }
        return examples;
    }

    private static HttpResponse<String> send(HttpClient http, LocalRun run, String path, Map<String, String> examples)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(run.url() + path))
                .header("Authorization", "Bearer local-test-token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(examples.get(path))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
