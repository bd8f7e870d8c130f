package com.engarde.signupsync.local;

import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local run serves the API document and its Swagger UI page over real HTTP without a token, the page's
 * assets from its own jar (no CDN), and nothing else opens: the docs routes are the local run's own, not
 * manifest routes, and every other undeclared path still needs the token.
 */
class ApiDocsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalRun run;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        TestDatabase.get().truncate();
        run = LocalRun.start(Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_SERVICE_TOKEN", "local-docs-token"));
    }

    @AfterAll
    static void stop() {
        run.close();
    }

    @Test
    void theDocumentIsServedWithoutAToken() throws Exception {
        HttpResponse<String> document = get("/openapi.json");

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode served = JSON.readTree(document.body());
        assertThat(served.path("openapi").asText()).startsWith("3.");
        assertThat(served.at("/servers/0/url").asText()).as("Try it out reaches this run").isEqualTo(run.url());
        JsonNode generated = ApiDocument.load();
        ((com.fasterxml.jackson.databind.node.ObjectNode) generated.at("/servers/0")).put("url", run.url());
        assertThat(served).isEqualTo(generated);
        assertThat(served.path("paths").has("/funnel/event")).isTrue();
    }

    @Test
    void theSwaggerUiPageAndItsAssetsAreServedFromTheJar() throws Exception {
        HttpResponse<String> page = get("/docs");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("swagger-ui").contains("/openapi.json");
        assertThat(page.body()).as("nothing from another host").doesNotContainPattern("(?i)(src|href)\\s*=\\s*[\"']?https?://")
                .doesNotContain("cdn").doesNotContain("unpkg");
        Matcher assets = Pattern.compile("\"(/swagger-ui/res/[^\"]+)\"").matcher(page.body());
        int found = 0;
        while (assets.find()) {
            HttpResponse<String> asset = get(assets.group(1));
            assertThat(asset.statusCode()).as(assets.group(1)).isEqualTo(200);
            assertThat(asset.body()).as(assets.group(1)).isNotEmpty();
            found++;
        }
        assertThat(found).as("the page's scripts and styles").isGreaterThanOrEqualTo(3);
    }

    @Test
    void headAnswersLikeGetWithoutAToken() throws Exception {
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(run.url() + "/docs"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(head.statusCode()).isEqualTo(200);
    }

    @Test
    void theDocsRoutesAreNotManifestRoutesAndOpenNothingElse() throws Exception {
        FunctionManifests manifests = run.context().getBean(FunctionManifests.class);
        assertThat(manifests.routeFor("GET", "/openapi.json")).isEmpty();
        assertThat(manifests.routeFor("GET", "/docs")).isEmpty();

        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(run.url() + "/openapi.json"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as("only GET and HEAD are open").isEqualTo(401);
        assertThat(JSON.readTree(post.body()).path("error").asText()).isEqualTo("unauthorized");
        assertThat(get("/docs/other").statusCode()).isEqualTo(401);
        assertThat(get("/openapi.yml").statusCode()).isEqualTo(401);
        assertThat(get("/swagger-ui/res/..%2F..%2Fopenapi.json").statusCode()).isIn(400, 401, 404);
        HttpResponse<String> missing = get("/swagger-ui/res/no-such-file.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("error").asText()).isEqualTo("not_found");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(run.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
