package com.engarde.signupsync.local;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.bus.LambdaHandler;
import com.engarde.signupsync.bus.SyncRequested;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.manifest.RouteAuth;
import com.engarde.signupsync.manifest.SyncBus;
import com.engarde.signupsync.sources.acme.AcmeConnector;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pull source no main code knows: the vendor package {@code sources.acme} (its declaration, which lists itself
 * with @AutoService, a connector and a verify check) and its function folder (META-INF/signup-sync/functions/
 * sync-acme/function.json), both on this module's test classpath and nowhere else. With no other file changed
 * it has its funnel_sources row, its Secrets Manager secret, its admin routes and credentials, its registry
 * entry, its API-document values, its route and its bus handler, and syncs.
 */
class AddingAnIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static LambdaHarness lambda;

    @BeforeAll
    static void start() {
        Map<String, Object> properties = new HashMap<>(AdminJwts.PROPERTIES);
        properties.put("signup.sync.encryption.key", KEY);
        lambda = new LambdaHarness(properties);
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    @Test
    void aVendorPackageAndAFunctionFolderAreAWholeIntegration() throws Exception {
        TestDatabase.get().truncate();
        // Its row, written by the migrations from the declaration: inactive until an admin turns it on.
        assertThat(Rows.number("SELECT count(*) FROM funnel_sources WHERE source_type = 'acme' AND kind = 'pull'"
                + " AND display_name = 'Acme Bookings' AND NOT active")).isEqualTo(1);

        // Its route and bus rule, from its manifest.
        FunctionManifests manifests = lambda.context().getBean(FunctionManifests.class);
        assertThat(manifests.authFor("POST", "/sync/acme")).isEqualTo(RouteAuth.SERVICE_TOKEN);
        assertThat(manifests.busSources()).contains("acme");

        // Its Secrets Manager secret, from its declaration: its function names it, admin-sources reads every
        // integration's ("integrations"), so the CDK app grants both.
        SecretName secret = SecretName.fromManifest("acme").orElseThrow();
        assertThat(secret.arnVariable()).isEqualTo("ACME_SECRET_ARN");
        assertThat(secret.variables()).containsExactly("ACME_API_KEY");
        assertThat(manifests.find("sync-acme").orElseThrow().secrets()).contains(secret);
        assertThat(manifests.find("admin-sources").orElseThrow().secrets()).contains(secret);

        // Its values in the API document.
        JsonNode document = ApiDocument.load();
        assertThat(document.at("/paths/~1sync~1{source_type}/post/parameters/0/schema/enum").toString()).contains("\"acme\"");
        assertThat(document.at("/components/schemas/FunnelEventRequest/properties/source_type/enum").toString())
                .contains("\"acme\"", "\"manual\"");
        assertThat(document.at("/paths/~1api~1admin~1sources~1{type}~1credentials/put/requestBody/content/application~1json/schema/description")
                .asText()).contains("acme: api_key (secret)");

        // Its registry entry, as declared.
        JsonNode entry = registryEntry();
        assertThat(entry.path("display_name").asText()).isEqualTo("Acme Bookings");
        assertThat(entry.path("integration_method").asText()).isEqualTo("pull_api");
        assertThat(entry.path("required_scopes").toString()).isEqualTo("[\"bookings:read\"]");
        assertThat(entry.path("configured").asBoolean()).isFalse();
        assertThat(entry.path("active").asBoolean()).isFalse();

        // Its environment variables reach the local run by its prefix.
        assertThat(LocalRun.vendorSettings(Map.of("ACME_API_KEY", "k"))).containsEntry("acme.api.key", "k");

        // Inactive, then active through the admin API; without credentials a sync is refused.
        assertThat(service("POST", "/sync/acme").status()).isEqualTo(409);
        Response activated = admin("PATCH", "/api/admin/sources/acme", "{\"active\":true}");
        assertThat(activated.status()).as(activated.body()).isEqualTo(200);
        assertThat(service("POST", "/sync/acme").status()).isEqualTo(409);

        // Its credentials through the admin API: checked against its declared shape, stored sealed, verified.
        Response weak = admin("PUT", "/api/admin/sources/acme/credentials", "{\"api_key\":\"short\"}");
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().path("field").asText()).isEqualTo("api_key");
        Response stored = admin("PUT", "/api/admin/sources/acme/credentials", "{\"api_key\":\"" + AcmeConnector.API_KEY + "\"}");
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        Response verified = admin("POST", "/api/admin/sources/acme/verify", null);
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(verified.json().path("succeeded").asBoolean()).isTrue();

        // Its route: 202 and a status URL; the run is carried out over the in-process bus.
        Response accepted = service("POST", "/sync/acme");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().path("status_url").asText()).isEqualTo("/sync/status/acme");
        assertThat(lambda.context().getBean(InProcessBus.class).awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE source_type = 'acme'")).isEqualTo(AcmeConnector.ITEMS);
        assertThat(Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE source_type = 'acme' AND status = 'succeeded'"))
                .isEqualTo(1);

        // Its bus rule's target: the event as EventBridge hands it to the function's Lambda handler.
        ObjectNode event = JSON.createObjectNode().put("detail-type", SyncBus.SYNC_REQUESTED)
                .put("source", SyncBus.SOURCE).put("id", "event-acme-1");
        event.set("detail", new SyncRequested("acme", SyncTrigger.SCHEDULE, null).detail());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LambdaHandler(lambda.context()).handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
        assertThat(JSON.readTree(out.toByteArray()).path("source_type").asText()).isEqualTo("acme");
        assertThat(Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE source_type = 'acme' AND status = 'succeeded'"
                + " AND trigger = 'schedule'")).isEqualTo(1);

        // And the registry says so.
        JsonNode after = registryEntry();
        assertThat(after.path("configured_from").asText()).isEqualTo("stored");
        assertThat(after.path("last_verify_succeeded").asBoolean()).isTrue();
        assertThat(after.path("active").asBoolean()).isTrue();
        assertThat(after.path("last_run_status").asText()).isEqualTo("succeeded");
        assertThat(after.path("next_scheduled_run_at").isNull()).isFalse();
        TestDatabase.get().truncate();
    }

    /** Its bootstrap credentials come from the environment under its declared variable (in AWS, through its secret). */
    @Test
    void itsCredentialsComeFromTheEnvironmentByItsDeclaredVariable() {
        TestDatabase.get().truncate();
        Map<String, Object> properties = new HashMap<>(AdminJwts.PROPERTIES);
        properties.put("signup.sync.encryption.key", KEY);
        properties.put("acme.api.key", AcmeConnector.API_KEY);
        LambdaHarness configured = new LambdaHarness(properties);
        try {
            Response verified = admin(configured, "POST", "/api/admin/sources/acme/verify", null);
            assertThat(verified.status()).as(verified.body()).isEqualTo(200);
            assertThat(verified.json().path("succeeded").asBoolean()).isTrue();
            assertThat(registryEntry(configured).path("configured_from").asText()).isEqualTo("environment");
        } finally {
            configured.close();
            TestDatabase.get().truncate();
        }
    }

    private static JsonNode registryEntry() {
        return registryEntry(lambda);
    }

    private static JsonNode registryEntry(LambdaHarness harness) {
        Response answer = admin(harness, "GET", "/api/platform-integrations/registry", null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        for (JsonNode entry : answer.json().path("integrations")) {
            if (entry.path("type").asText().equals("acme")) {
                return entry;
            }
        }
        throw new AssertionError("acme is not in the registry: " + answer.body());
    }

    private static Response service(String method, String path) {
        return lambda.handle(LambdaHarness.request(method, path, null));
    }

    private static Response admin(String method, String path, String body) {
        return admin(lambda, method, path, body);
    }

    private static Response admin(LambdaHarness harness, String method, String path, String body) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request(method, path, body);
        request.getHeaders().put("Authorization", "Bearer " + AdminJwts.superuser(Instant.now()));
        return harness.handle(request);
    }
}
