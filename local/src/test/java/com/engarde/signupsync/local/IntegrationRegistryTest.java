package com.engarde.signupsync.local;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.EasyAppointmentsStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.TestDatabase;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/platform-integrations/registry: every declared integration with what its declaration says, and its
 * state here and now, after a verify and after a run against the EasyAppointments stub.
 */
class IntegrationRegistryTest {

    private static final String REGISTRY = "/api/platform-integrations/registry";
    private static EasyAppointmentsStub easyAppointments;
    private static LambdaHarness lambda;

    @BeforeAll
    static void start() {
        easyAppointments = new EasyAppointmentsStub();
        easyAppointments.addCustomer(7, "registry.reader@example.com", "Rea", "Der");
        easyAppointments.putAppointment(41, "2026-06-01 08:15:00", "2026-06-20 10:00:00", "2026-06-20 10:30:00",
                "Confirmed", 7);
        Map<String, Object> properties = new HashMap<>(AdminJwts.PROPERTIES);
        properties.put("signup.sync.encryption.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        properties.put("signup.sync.http.attempts", 1);
        lambda = new LambdaHarness(properties);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        easyAppointments.close();
    }

    @BeforeEach
    void empty() {
        TestDatabase.get().truncate();
    }

    @Test
    void everyDeclaredIntegrationIsListedWithWhatItsDeclarationSays() {
        Map<String, JsonNode> entries = registry();

        assertThat(entries.keySet()).containsExactlyElementsOf(Integrations.declared().types());
        assertThat(entries).containsKeys("easyappointments", "zoom", "eventbrite", "poshvip", "brevo");
        for (Integration declared : Integrations.declared().all()) {
            JsonNode entry = entries.get(declared.type());
            assertThat(entry.path("display_name").asText()).isEqualTo(declared.displayName());
            assertThat(entry.path("category").asText()).isEqualTo(declared.category());
            assertThat(entry.path("integration_method").asText()).isEqualTo(declared.kind().method());
            assertThat(entry.path("auth_method").asText()).isEqualTo(declared.authMethod().id());
            assertThat(entry.path("setup_difficulty").asText()).isEqualTo(declared.setupDifficulty().id());
            assertThat(entry.path("documentation_url").asText()).isEqualTo(declared.documentation());
            assertThat(entry.path("required_scopes")).hasSize(declared.scopes().size());
            assertThat(entry.path("capabilities")).hasSize(declared.capabilities().size());
            assertThat(entry.path("rate_limits")).hasSize(declared.rateLimits().size());
            assertThat(entry.path("credential_fields")).hasSize(declared.credentials().size());
        }
        JsonNode zoom = entries.get("zoom");
        assertThat(zoom.path("auth_method").asText()).isEqualTo("oauth2_client_credentials");
        assertThat(zoom.path("required_scopes").toString()).contains("webinar:read:admin", "report:read:admin");
        assertThat(zoom.at("/rate_limits/0/documented_in").asText()).isEqualTo("https://developers.zoom.us/docs/api/rate-limits/");
        assertThat(zoom.at("/credential_fields/2/name").asText()).isEqualTo("client_secret");
        assertThat(zoom.at("/credential_fields/2/secret").asBoolean()).isTrue();
        assertThat(zoom.at("/credential_fields/0/secret").asBoolean()).isFalse();
        assertThat(entries.get("poshvip").path("integration_method").asText()).isEqualTo("webhook");
        assertThat(entries.get("poshvip").path("verifiable").asBoolean()).isFalse();
        JsonNode brevo = entries.get("brevo");
        assertThat(brevo.path("integration_method").asText()).isEqualTo("destination");
        assertThat(brevo.path("active").isNull()).as("a destination has no active switch").isTrue();
        assertThat(brevo.path("next_scheduled_run_at").isNull()).isTrue();
        // The daily schedule runs the active pull sources only.
        for (JsonNode entry : entries.values()) {
            boolean scheduled = entry.path("integration_method").asText().equals("pull_api") && entry.path("active").asBoolean();
            assertThat(entry.path("next_scheduled_run_at").isNull()).as(entry.path("type").asText()).isEqualTo(!scheduled);
        }
    }

    @Test
    void itShowsTheLastVerifyAndTheLastRunWhereTheyHappened() {
        JsonNode before = registry().get("easyappointments");
        assertThat(before.path("configured").asBoolean()).isFalse();
        assertThat(before.path("configured_from").asText()).isEqualTo("none");
        assertThat(before.path("last_verified_at").isNull()).isTrue();
        assertThat(before.path("last_run_status").isNull()).isTrue();
        assertThat(before.path("active").asBoolean()).isTrue();
        Instant next = Instant.parse(before.path("next_scheduled_run_at").asText());
        assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofDays(1)));
        assertThat(next.atOffset(ZoneOffset.UTC).toLocalTime()).isEqualTo(LocalTime.of(18, 30));

        assertThat(admin("PUT", "/api/admin/sources/easyappointments/credentials", "{\"url\":\"" + easyAppointments.url()
                + "\",\"api_key\":\"" + EasyAppointmentsStub.API_KEY + "\"}").status()).isEqualTo(200);
        Response verified = admin("POST", "/api/admin/sources/easyappointments/verify", null);
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);

        JsonNode afterVerify = registry().get("easyappointments");
        assertThat(afterVerify.path("configured").asBoolean()).isTrue();
        assertThat(afterVerify.path("configured_from").asText()).isEqualTo("stored");
        assertThat(afterVerify.path("last_verify_succeeded").asBoolean()).isTrue();
        // The verify answers the time as stored (the database keeps microseconds, and rounds rather than truncates).
        assertThat(Instant.parse(afterVerify.path("last_verified_at").asText()))
                .isEqualTo(Instant.parse(verified.json().path("verified_at").asText()));
        assertThat(afterVerify.path("last_run_status").isNull()).isTrue();

        Response started = lambda.handle(LambdaHarness.request("POST", "/sync/easyappointments", null));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        awaitBus();

        JsonNode afterRun = registry().get("easyappointments");
        assertThat(afterRun.path("last_run_status").asText()).isEqualTo("succeeded");
        assertThat(Instant.parse(afterRun.path("last_run_at").asText())).isBefore(Instant.now());
        assertThat(registry().get("zoom").path("last_run_status").isNull()).as("only the source that ran").isTrue();
    }

    static void awaitBus() {
        try {
            assertThat(lambda.context().getBean(InProcessBus.class).awaitIdle(Duration.ofSeconds(60))).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Map<String, JsonNode> registry() {
        Response answer = admin("GET", REGISTRY, null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        Map<String, JsonNode> byType = new LinkedHashMap<>();
        answer.json().path("integrations").forEach(entry -> byType.put(entry.path("type").asText(), entry));
        return byType;
    }

    private static Response admin(String method, String path, String body) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request(method, path, body);
        request.getHeaders().put("Authorization", "Bearer " + AdminJwts.superuser(Instant.now()));
        return lambda.handle(request);
    }
}
