package com.engarde.signupsync.local;

import com.engarde.signupsync.testing.ExpectsWarnings;
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

/** The local run answers the API document's own curl examples over real HTTP, as the document says it does. */
@ExpectsWarnings("sync run \\d+ of \\w+ failed: \\w+ has no credentials configured")
class LocalRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CURL_POST = Pattern.compile(
            "curl -s -X POST \\$BASE(/\\S+) \\\\\\n.*?-d '([^']*)'", Pattern.DOTALL);

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

    @Test
    void itsStatusSaysNoScheduleRunsHereItsTokensAreInAFileAndASyncWithoutCredentialsIsRefused(@TempDir Path data)
            throws Exception {
        TestDatabase.get().truncate();
        Map<String, String> env = Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_DATA_DIR", data.toString(), "SIGNUP_SYNC_SERVICE_TOKEN", "local-test-token");
        try (LocalRun run = LocalRun.start(env)) {
            HttpClient http = HttpClient.newHttpClient();
            JsonNode status = JSON.readTree(get(http, run, "/sync/status/eventbrite").body());
            assertThat(status.at("/schedule/run_by").asText()).as(status.toString()).isEqualTo("none");
            assertThat(status.at("/schedule/enabled").asBoolean()).isFalse();
            assertThat(status.has("next_scheduled_at")).as("no next run that nothing would fire").isFalse();

            Path file = data.resolve(LocalRun.ENV_FILE);
            assertThat(run.envFile()).isEqualTo(file.toAbsolutePath());
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(Files.readAllLines(file)).contains("BASE=" + run.url(), "TOKEN=local-test-token",
                    "ADMIN_TOKEN=" + run.adminToken());

            HttpResponse<String> sync = post(http, run, "/sync/zoom");
            HttpResponse<String> verify = http.send(HttpRequest.newBuilder(URI.create(run.url()
                            + "/api/admin/sources/zoom/verify")).header("Authorization", "Bearer " + run.adminToken())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(409);
            assertThat(verify.statusCode()).as(verify.body()).isEqualTo(409);
            assertThat(JSON.readTree(sync.body()).path("message").asText()).as("the same words as verify")
                    .isEqualTo(JSON.readTree(verify.body()).path("message").asText())
                    .isEqualTo("zoom has no credentials configured: store them first");
            assertThat(JSON.readTree(sync.body()).path("field").asText()).isEqualTo("source_type");
            assertThat(Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE source_type = 'zoom'")).isZero();
        }
    }

    @Test
    void aTakenPortIsSaidInOneLineWithWhatToDo(@TempDir Path data) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> env = Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(),
                    "PORT", String.valueOf(taken.getLocalPort()), "SIGNUP_SYNC_DATA_DIR", data.toString());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalRun.start(env))
                    .isInstanceOf(LocalRun.StartRefused.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is taken")
                    .hasMessageContaining("PORT=" + (taken.getLocalPort() + 1))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void tokensOfAnEarlierLocalRunAreRefusedSayingSo(@TempDir Path data) throws Exception {
        TestDatabase.get().truncate();
        Map<String, String> env = Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_DATA_DIR", data.toString());
        String earlierToken;
        String earlierAdminToken;
        try (LocalRun first = LocalRun.start(env)) {
            earlierToken = first.token();
            earlierAdminToken = first.adminToken();
        }
        try (LocalRun again = LocalRun.start(env)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(again.url() + "/api/admin/sources"))
                    .header("Authorization", "Bearer " + earlierAdminToken).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> service = http.send(HttpRequest.newBuilder(URI.create(again.url() + "/sync/status/zoom"))
                    .header("Authorization", "Bearer " + earlierToken).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(again.url() + "/sync/status/zoom"))
                    .header("Authorization", "Bearer not-a-token-of-any-run").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(admin.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(admin.body()).path("message").asText())
                    .contains("signed by an earlier local run").contains(again.envFile().toString());
            assertThat(service.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(service.body()).path("message").asText())
                    .contains("belongs to an earlier local run").contains(again.envFile().toString());
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(unknown.body()).doesNotContain("earlier local run");
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
        Path readme = LambdaHarness.eventsDir().getParent().resolve("docs/api.md");
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
