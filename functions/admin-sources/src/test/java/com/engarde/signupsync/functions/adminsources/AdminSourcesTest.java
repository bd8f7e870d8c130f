package com.engarde.signupsync.functions.adminsources;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.crypto.SealBroken;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.EasyAppointmentsStub;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin-sources routes through the real Lambda handler, against PostgreSQL and stub vendors. */
@ExpectsWarnings({"the stored credentials of \\w+ do not open", "(EasyAppointments|Zoom|Eventbrite|Brevo) did not answer "})
class AdminSourcesTest {

    // First, so that everything the function logs from start-up on is captured.
    private static final LogCapture LOGS = LogCapture.start();

    static final String KEY_1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String KEY_2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    static final String BREVO_KEY = "brevo-plaintext-key-5c1d";
    static final String EVENTBRITE_TOKEN = "eventbrite-plaintext-token-9a2e";
    static final String ZOOM_SECRET = "zoom-plaintext-secret-3b7f";
    static final String POSH_SECRET = "poshvip-plaintext-secret-6e4a";
    static final String POSH_NEXT = "poshvip-plaintext-next-1d8c";
    /** Every credential value the tests store: none may appear in the database, a response or a log line. */
    static final List<String> PLAINTEXTS = List.of(BREVO_KEY, EVENTBRITE_TOKEN, ZOOM_SECRET, POSH_SECRET, POSH_NEXT,
            EasyAppointmentsStub.API_KEY, "zoom-plaintext-client-44e1", ZoomStub.ACCESS_TOKEN);

    static final EasyAppointmentsStub EASYAPPOINTMENTS = new EasyAppointmentsStub();
    static final VendorAccountStub BREVO = VendorAccountStub.brevo(BREVO_KEY);
    static final VendorAccountStub EVENTBRITE = VendorAccountStub.eventbrite(EVENTBRITE_TOKEN);
    static final ZoomStub ZOOM = new ZoomStub("acc-1", "zoom-plaintext-client-44e1", ZOOM_SECRET);
    /** The sources with an API that verify calls. */
    static final List<String> VERIFIABLE = List.of("easyappointments", "zoom", "eventbrite", "brevo");
    static final List<String> RESPONSES = new ArrayList<>();

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(properties(KEY_1, null));

    static Map<String, Object> properties(String key, String previous) {
        Map<String, Object> p = new HashMap<>(AdminJwts.PROPERTIES);
        p.put("engarde.database.pool-size", 4);
        p.put("signup.sync.encryption.key", key);
        if (previous != null) {
            p.put("signup.sync.encryption.key.previous", previous);
        }
        p.put("brevo.api.url", BREVO.base());
        p.put("eventbrite.api.url", EVENTBRITE.base());
        p.put("zoom.api.url", ZOOM.apiUrl());
        p.put("zoom.oauth.url", ZOOM.tokenUrl());
        p.put("signup.sync.http.attempts", 2);
        p.put("signup.sync.http.base-delay", "1ms");
        p.put("signup.sync.http.max-delay", "1ms");
        p.put("signup.sync.verify.request-timeout", "1500ms");
        p.put("signup.sync.deployed.syncs", "easyappointments");
        return p;
    }

    static Map<String, String> credentialBodies() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("easyappointments", "{\"url\":\"" + EASYAPPOINTMENTS.url() + "\",\"api_key\":\"" + EasyAppointmentsStub.API_KEY + "\"}");
        bodies.put("zoom", "{\"account_id\":\"acc-1\",\"client_id\":\"zoom-plaintext-client-44e1\",\"client_secret\":\"" + ZOOM_SECRET + "\"}");
        bodies.put("eventbrite", "{\"private_token\":\"" + EVENTBRITE_TOKEN + "\",\"organization_id\":\"1234567890\"}");
        bodies.put("poshvip", "{\"webhook_secret\":\"" + POSH_SECRET + "\"}");
        bodies.put("brevo", "{\"api_key\":\"" + BREVO_KEY + "\"}");
        return bodies;
    }

    static Response call(LambdaHarness harness, String method, String path, String body) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request(method, path, body);
        request.getHeaders().put("Authorization", "Bearer " + AdminJwts.superuser(Instant.now()));
        Response response = harness.handle(request);
        synchronized (RESPONSES) {
            RESPONSES.add(response.body());
        }
        return response;
    }

    static Response call(String method, String path, String body) {
        return call(lambda.harness(), method, path, body);
    }

    static void storeAll(LambdaHarness harness) {
        credentialBodies().forEach((type, body) ->
                assertThat(call(harness, "PUT", "/api/admin/sources/" + type + "/credentials", body).status())
                        .as(type).isEqualTo(200));
    }

    @AfterAll
    static void nothingSecretWasLoggedOrAnswered() {
        String logs = LOGS.text();
        assertThat(logs).as("the functions logged something").isNotEmpty();
        assertThat(RESPONSES).isNotEmpty();
        for (String plaintext : PLAINTEXTS) {
            assertThat(logs).doesNotContain(plaintext);
            assertThat(RESPONSES).noneMatch(body -> body != null && body.contains(plaintext));
        }
        EASYAPPOINTMENTS.close();
        BREVO.close();
        EVENTBRITE.close();
        ZOOM.close();
    }

    @Test
    void storedCredentialsAreUnreadableInEveryColumnOfTheDatabase() throws SQLException {
        storeAll(lambda.harness());
        call("PUT", "/api/admin/sources/poshvip/credentials", "{\"webhook_secret\":\"" + POSH_NEXT + "\"}");
        call("POST", "/api/admin/sources/brevo/verify", null);

        assertThat(Rows.count("source_credentials")).isEqualTo(5);
        // A control: one plaintext planted in clear, which the scan must find, in that column only.
        TestDatabase.get().execute("INSERT INTO source_verifications VALUES ('control', now(), false, 'x"
                + BREVO_KEY + "x')");
        int columns = 0;
        List<String> found = new ArrayList<>();
        try (Connection c = TestDatabase.get().dataSource().getConnection();
             PreparedStatement list = c.prepareStatement("""
                     SELECT table_name, column_name, data_type FROM information_schema.columns
                     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'bytea', 'json', 'jsonb')""");
             ResultSet rs = list.executeQuery()) {
            while (rs.next()) {
                String table = rs.getString(1);
                String column = rs.getString(2);
                String condition = rs.getString(3).equals("bytea")
                        ? "position(convert_to(?, 'UTF8') in \"" + column + "\") > 0"
                        : "position(? in \"" + column + "\"::text) > 0";
                for (String plaintext : PLAINTEXTS) {
                    try (PreparedStatement scan = c.prepareStatement(
                            "SELECT count(*) FROM \"" + table + "\" WHERE " + condition)) {
                        scan.setString(1, plaintext);
                        try (ResultSet hits = scan.executeQuery()) {
                            hits.next();
                            if (hits.getLong(1) > 0) {
                                found.add(table + "." + column);
                            }
                        }
                    }
                }
                columns++;
            }
        }
        assertThat(columns).as("columns scanned").isGreaterThan(20);
        assertThat(found).containsExactly("source_verifications.message");
    }

    @Test
    void theListingSaysWhereCredentialsComeFromWithoutAValue() {
        call("PUT", "/api/admin/sources/brevo/credentials", credentialBodies().get("brevo"));

        JsonNode sources = call("GET", "/api/admin/sources", null).json().path("sources");
        Map<String, JsonNode> byType = new HashMap<>();
        sources.forEach(s -> byType.put(s.path("source_type").asText(), s));
        assertThat(byType).containsKeys("easyappointments", "zoom", "eventbrite", "poshvip", "brevo", "manual");
        assertThat(byType.get("brevo").at("/credentials/origin").asText()).isEqualTo("stored");
        assertThat(byType.get("brevo").at("/credentials/fields").toString()).isEqualTo("[\"api_key\"]");
        assertThat(byType.get("zoom").at("/credentials/origin").asText()).isEqualTo("none");
        assertThat(byType.get("zoom").at("/credentials/configured").asBoolean()).isFalse();
        assertThat(byType.get("easyappointments").path("kind").asText()).isEqualTo("pull");
    }

    @Test
    void everySuccessfulWriteLeavesOneAuditRowAndEveryRefusedOneNone() {
        long before = Rows.count("platform_admin_actions");
        String[][] refused = {
                {"PUT", "/api/admin/sources/brevo/credentials", "{}"},
                {"PUT", "/api/admin/sources/brevo/credentials", "{\"api_key\":\"x\",\"extra\":\"y\"}"},
                {"PUT", "/api/admin/sources/easyappointments/credentials", "{\"url\":\"ftp://x\",\"api_key\":\"k\"}"},
                {"PUT", "/api/admin/sources/nosuch/credentials", "{\"api_key\":\"k\"}"},
                {"PUT", "/api/admin/sources/brevo/credentials", "{not json"},
                {"PATCH", "/api/admin/sources/zoom", "{\"active\":true}"},
                {"PATCH", "/api/admin/sources/zoom", "{\"active\":\"yes\"}"},
                {"PATCH", "/api/admin/sources/zoom", "{\"active\":true,\"kind\":\"push\"}"},
                {"PATCH", "/api/admin/sources/ZOOM", "{\"active\":false}"},
                {"PATCH", "/api/admin/sources/brevo", "{\"active\":false}"},
                {"POST", "/api/admin/sources/zoom/verify", null},
                {"POST", "/api/admin/sources/poshvip/verify", null},
        };
        for (String[] r : refused) {
            Response response = call(r[0], r[1], r[2]);
            assertThat(response.status()).as(String.join(" ", r)).isBetween(400, 499);
            assertThat(response.json().path("error").asText()).isNotEmpty();
        }
        assertThat(Rows.count("platform_admin_actions")).isEqualTo(before);
        assertThat(Rows.count("source_credentials")).isZero();

        String[][] writes = {
                {"PUT", "/api/admin/sources/brevo/credentials", credentialBodies().get("brevo")},
                {"PUT", "/api/admin/sources/brevo/credentials", credentialBodies().get("brevo")},
                {"POST", "/api/admin/sources/brevo/verify", null},
                {"PATCH", "/api/admin/sources/zoom", "{\"active\":false}"},
                {"PATCH", "/api/admin/sources/zoom", "{\"active\":false}"},
                {"PATCH", "/api/admin/sources/easyappointments", "{\"active\":true}"},
                {"POST", "/api/admin/sources/rotate-key", null},
        };
        for (int i = 0; i < writes.length; i++) {
            String[] w = writes[i];
            assertThat(call(w[0], w[1], w[2]).status()).as(String.join(" ", w)).isEqualTo(200);
            assertThat(Rows.count("platform_admin_actions")).isEqualTo(before + i + 1);
        }
        Map<String, Object> last = Rows.row("SELECT actor_subject, actor_email, action, target_type, request_id"
                + " FROM platform_admin_actions ORDER BY id DESC LIMIT 1");
        assertThat(last).containsEntry("actor_subject", "user-root").containsEntry("actor_email", "root@example.com")
                .containsEntry("action", "encryption_key.rotate").containsEntry("request_id", "test-request");
        assertThat(Rows.number("SELECT count(*) FROM funnel_sources WHERE source_type = 'zoom' AND NOT active")).isEqualTo(1);
    }

    @Test
    void aWrongShapeIsRefusedNamingTheField() {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("easyappointments", new String[]{"{\"url\":\"https://booking.example.com\"}", "api_key"});
        cases.put("zoom", new String[]{"{\"account_id\":\"a\",\"client_id\":\"b\"}", "client_secret"});
        cases.put("eventbrite", new String[]{"{\"organization_id\":\"1\"}", "private_token"});
        cases.put("poshvip", new String[]{"{\"webhook_secret\":7}", "webhook_secret"});
        cases.put("brevo", new String[]{"{\"apikey\":\"k\"}", "apikey"});
        cases.forEach((type, c) -> {
            Response r = call("PUT", "/api/admin/sources/" + type + "/credentials", c[0]);
            assertThat(r.status()).as(type).isEqualTo(400);
            assertThat(r.json().path("field").asText()).as(type).isEqualTo(c[1]);
        });
        assertThat(Rows.count("source_credentials")).isZero();
    }

    @Test
    void aNewPoshSecretKeepsThePreviousOneForTheRotation() {
        call("PUT", "/api/admin/sources/poshvip/credentials", "{\"webhook_secret\":\"" + POSH_SECRET + "\"}");
        call("PUT", "/api/admin/sources/poshvip/credentials", "{\"webhook_secret\":\"" + POSH_NEXT + "\"}");

        Credentials stored = lambda.harness().context().getBean(SourceCredentials.class).find("poshvip").orElseThrow();
        assertThat(stored.require("webhook_secret")).isEqualTo(POSH_NEXT);
        assertThat(stored.require("previous_webhook_secret")).isEqualTo(POSH_SECRET);
    }

    static final ObjectMapper JSON = new ObjectMapper();

    static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response callAs(String token, String method, String path, String body) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request(method, path, body);
        request.getHeaders().put("Authorization", "Bearer " + token);
        Response response = lambda.harness().handle(request);
        synchronized (RESPONSES) {
            RESPONSES.add(response.body());
        }
        return response;
    }

    @Test
    void aVendorUrlThatIsNotAPublicHttpsHostIsRefusedWhenStored() {
        List<String> refused = List.of("https://10.0.0.5/index.php/api/v1/", "https://169.254.169.254/latest/meta-data/",
                "http://127.attacker.example/index.php/api/v1/", "https://[::ffff:10.0.0.1]/index.php/api/v1/",
                "https://100.64.0.7/index.php/api/v1/", "https://booking.example.com:0/index.php/api/v1/",
                "https://booking.example.com:99999/index.php/api/v1/",
                "https://booking.example.com/index.php/\u202Eapi/v1/", "https://booking.\u202Eexample.com/api/",
                "https://booking.example.com/index.php/api/v1/\u0000");
        for (String url : refused) {
            Response r = call("PUT", "/api/admin/sources/easyappointments/credentials",
                    json(Map.of("url", url, "api_key", EasyAppointmentsStub.API_KEY)));
            assertThat(r.status()).as(url + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().path("field").asText()).as(url).isEqualTo("url");
            assertThat(r.json().path("message").asText()).as(url).doesNotContain("Exception")
                    .doesNotContain(EasyAppointmentsStub.API_KEY);
        }
        assertThat(refused).hasSize(10);
        assertThat(Rows.count("source_credentials")).isZero();
    }

    @Test
    void aWeakSecretOrOneWithLineBreaksOrBidiCharactersIsRefusedNamingTheField() {
        String ea = EASYAPPOINTMENTS.url();
        List<Object[]> cases = List.of(
                new Object[]{"poshvip", Map.of("webhook_secret", "a"), "webhook_secret"},
                new Object[]{"poshvip", Map.of("webhook_secret", "whsec_c2hvcnQ="), "webhook_secret"},
                new Object[]{"poshvip", Map.of("webhook_secret", "whsec_not base64 at all, not at all!!"), "webhook_secret"},
                new Object[]{"poshvip", Map.of("webhook_secret", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "webhook_secret"},
                new Object[]{"poshvip", Map.of("webhook_secret", POSH_SECRET, "previous_webhook_secret", "b"), "previous_webhook_secret"},
                new Object[]{"brevo", Map.of("api_key", "a"), "api_key"},
                new Object[]{"brevo", Map.of("api_key", "a secret with spaces in it, 1234"), "api_key"},
                new Object[]{"easyappointments", Map.of("url", ea, "api_key", "short-key"), "api_key"},
                new Object[]{"easyappointments", Map.of("url", ea, "api_key", EasyAppointmentsStub.API_KEY + "\r\nX-Injected: 1"), "api_key"},
                new Object[]{"easyappointments", Map.of("url", ea, "api_key", "test-easyappointments\u202Ekey-0123456789"), "api_key"},
                new Object[]{"zoom", Map.of("account_id", "acc-1", "client_id", "zoom-plaintext-client-44e1", "client_secret", "short"), "client_secret"},
                new Object[]{"zoom", Map.of("account_id", "acc\u202E-1", "client_id", "zoom-plaintext-client-44e1", "client_secret", ZOOM_SECRET), "account_id"},
                new Object[]{"eventbrite", Map.of("private_token", "a"), "private_token"});
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Response r = call("PUT", "/api/admin/sources/" + c[0] + "/credentials", json((Map<String, String>) c[1]));
            assertThat(r.status()).as(c[0] + " " + c[2] + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().path("field").asText()).as(c[0] + " " + c[2]).isEqualTo(c[2]);
            assertThat(r.json().path("message").asText()).doesNotContain("short-key").doesNotContain("whsec_c2h");
        }
        assertThat(cases).hasSize(13);
        assertThat(Rows.count("source_credentials")).isZero();

        // The vendors' own formats pass: a Standard Webhooks secret, an Eventbrite private token.
        assertThat(call("PUT", "/api/admin/sources/poshvip/credentials",
                json(Map.of("webhook_secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))).status()).isEqualTo(200);
        assertThat(call("PUT", "/api/admin/sources/eventbrite/credentials",
                json(Map.of("private_token", "Q2RS7TUVWX4YZ3AB5CDE"))).status()).isEqualTo(200);
        assertThat(Rows.count("source_credentials")).isEqualTo(2);
    }

    @Test
    void onlyASuperuserChangesAVendorUrlAndTheAuditRowNamesTheNewHost() {
        TestDatabase.get().execute("INSERT INTO platform_admins (user_id, added_by) VALUES ('user-designated', 'test')");
        String designated = AdminJwts.user("user-designated", null, Instant.now());
        String url = EASYAPPOINTMENTS.url();
        String moved = url.replace("127.0.0.1", "localhost");
        assertThat(moved).isNotEqualTo(url);

        assertThat(call("PUT", "/api/admin/sources/easyappointments/credentials",
                json(Map.of("url", url, "api_key", EasyAppointmentsStub.API_KEY))).status()).isEqualTo(200);
        Response sameUrl = callAs(designated, "PUT", "/api/admin/sources/easyappointments/credentials",
                json(Map.of("url", url, "api_key", "rotated-ea-key-by-designated-0a1b")));
        assertThat(sameUrl.status()).as(sameUrl.body()).isEqualTo(200);
        Response otherUrl = callAs(designated, "PUT", "/api/admin/sources/easyappointments/credentials",
                json(Map.of("url", moved, "api_key", EasyAppointmentsStub.API_KEY)));
        assertThat(otherUrl.status()).as(otherUrl.body()).isEqualTo(403);
        assertThat(otherUrl.json().path("field").asText()).isEqualTo("url");
        Credentials stored = lambda.harness().context().getBean(SourceCredentials.class).find("easyappointments").orElseThrow();
        assertThat(stored.require("url")).isEqualTo(url);
        assertThat(stored.require("api_key")).isEqualTo("rotated-ea-key-by-designated-0a1b");

        Response bySuperuser = call("PUT", "/api/admin/sources/easyappointments/credentials",
                json(Map.of("url", moved, "api_key", EasyAppointmentsStub.API_KEY)));
        assertThat(bySuperuser.status()).isEqualTo(200);
        List<Map<String, Object>> audit = new ArrayList<>();
        for (long id = 1; id <= 3; id++) {
            audit.add(Rows.row("SELECT actor_subject, summary::text AS summary FROM platform_admin_actions"
                    + " WHERE action = 'source.credentials.store' ORDER BY id OFFSET ? LIMIT 1", id - 1));
        }
        assertThat(audit).extracting(row -> row.get("actor_subject"))
                .containsExactly("user-root", "user-designated", "user-root");
        assertThat((String) audit.get(0).get("summary")).contains("\"host\": \"127.0.0.1\"").contains("\"url_changed\": true");
        assertThat((String) audit.get(1).get("summary")).contains("\"host\": \"127.0.0.1\"").contains("\"url_changed\": false");
        assertThat((String) audit.get(2).get("summary")).contains("\"host\": \"localhost\"").contains("\"url_changed\": true");
        assertThat(audit).allSatisfy(row -> assertThat((String) row.get("summary"))
                .doesNotContain(EasyAppointmentsStub.API_KEY).doesNotContain("rotated-ea-key"));
        assertThat(Rows.number("SELECT count(*) FROM platform_admin_actions WHERE action = 'source.credentials.store'"))
                .isEqualTo(3);
    }

    @Test
    void patchingBrevoSaysItIsADestinationRatherThanAnUnknownSource() {
        Response r = call("PATCH", "/api/admin/sources/brevo", "{\"active\":false}");
        assertThat(r.status()).as(r.body()).isEqualTo(409);
        assertThat(r.json().path("field").asText()).isEqualTo("active");
        assertThat(r.json().path("message").asText()).contains("destination").doesNotContain("unknown");
    }

    @Test
    void aVerifyThatCannotReachTheHostSaysSoInWordsNotJavaClassNames() {
        assertThat(call("PUT", "/api/admin/sources/easyappointments/credentials",
                json(Map.of("url", "https://booking.invalid/index.php/api/v1/", "api_key", EasyAppointmentsStub.API_KEY)))
                .status()).isEqualTo(200);
        Response r = call("POST", "/api/admin/sources/easyappointments/verify", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("succeeded").asBoolean()).isFalse();
        assertThat(r.json().path("message").asText()).contains("does not resolve")
                .doesNotContainPattern("[A-Z][a-z]+(Exception|Exhausted|Error)");
    }

    @Test
    void storedCredentialsTakePrecedenceOverTheEnvironment() {
        try (LambdaHarness withEnvironment = new LambdaHarness(withEnvironmentBrevoKey())) {
            SourceCredentials credentials = withEnvironment.context().getBean(SourceCredentials.class);
            assertThat(credentials.find("brevo").orElseThrow().require("api_key")).isEqualTo("env-brevo-key");
            call(withEnvironment, "PUT", "/api/admin/sources/brevo/credentials", credentialBodies().get("brevo"));
            assertThat(credentials.find("brevo").orElseThrow().require("api_key")).isEqualTo(BREVO_KEY);
        }
    }

    private static Map<String, Object> withEnvironmentBrevoKey() {
        Map<String, Object> p = properties(KEY_1, null);
        p.put("brevo.api.key", "env-brevo-key");
        return p;
    }

    @Test
    void aCiphertextCopiedToAnotherSourceDoesNotOpen() {
        call("PUT", "/api/admin/sources/brevo/credentials", credentialBodies().get("brevo"));
        call("PUT", "/api/admin/sources/eventbrite/credentials", credentialBodies().get("eventbrite"));
        TestDatabase.get().execute("UPDATE source_credentials e SET key_version = b.key_version, nonce = b.nonce,"
                + " ciphertext = b.ciphertext FROM source_credentials b WHERE e.source_type = 'eventbrite' AND b.source_type = 'brevo'");

        SourceCredentials credentials = lambda.harness().context().getBean(SourceCredentials.class);
        assertThatThrownBy(() -> credentials.find("eventbrite")).isInstanceOf(SealBroken.class);
        assertThat(credentials.find("brevo").orElseThrow().require("api_key")).isEqualTo(BREVO_KEY);
        Response verify = call("POST", "/api/admin/sources/eventbrite/verify", null);
        assertThat(verify.status()).isEqualTo(409);
        assertThat(verify.json().path("error").asText()).isEqualTo("credentials_unreadable");
        JsonNode eventbrite = null;
        for (JsonNode s : call("GET", "/api/admin/sources", null).json().path("sources")) {
            if (s.path("source_type").asText().equals("eventbrite")) {
                eventbrite = s;
            }
        }
        assertThat(eventbrite).isNotNull();
        assertThat(eventbrite.at("/credentials/readable").asBoolean()).isFalse();
    }

    @Test
    void keyRotationReSealsEveryRowAndEverySourceKeepsWorking() {
        storeAll(lambda.harness());
        String oldVersion = (String) Rows.row("SELECT key_version FROM source_credentials LIMIT 1").get("key_version");
        assertThat(Rows.number("SELECT count(DISTINCT key_version) FROM source_credentials")).isEqualTo(1);

        try (LambdaHarness rotating = new LambdaHarness(properties(KEY_2, KEY_1))) {
            SourceCredentials during = rotating.context().getBean(SourceCredentials.class);
            credentialBodies().keySet().forEach(type -> assertThat(during.find(type)).as(type).isPresent());
            Response rotation = call(rotating, "POST", "/api/admin/sources/rotate-key", null);
            assertThat(rotation.status()).isEqualTo(200);
            assertThat(rotation.json().path("resealed")).hasSize(5);
            assertThat(rotation.json().path("sources")).hasSize(5)
                    .allMatch(s -> s.path("state").asText().equals("resealed"));
            assertThat(rotation.json().path("key_version").asText()).isNotEqualTo(oldVersion);
        }
        assertThat(Rows.number("SELECT count(*) FROM source_credentials WHERE key_version = ?", oldVersion)).isZero();

        try (LambdaHarness after = new LambdaHarness(properties(KEY_2, null))) {
            SourceCredentials credentials = after.context().getBean(SourceCredentials.class);
            assertThat(credentials.find("zoom").orElseThrow().require("client_secret")).isEqualTo(ZOOM_SECRET);
            assertThat(credentials.find("poshvip").orElseThrow().require("webhook_secret")).isEqualTo(POSH_SECRET);
            for (String type : VERIFIABLE) {
                Response verify = call(after, "POST", "/api/admin/sources/" + type + "/verify", null);
                assertThat(verify.status()).as(type).isEqualTo(200);
                assertThat(verify.json().path("succeeded").asBoolean()).as(type + ": " + verify.body()).isTrue();
            }
        }
        try (LambdaHarness oldKeyOnly = new LambdaHarness(properties(KEY_1, null))) {
            assertThatThrownBy(() -> oldKeyOnly.context().getBean(SourceCredentials.class).find("brevo"))
                    .as("the retired key opens nothing").isInstanceOf(SealBroken.class);
        }
    }

    @Test
    void aRotationListsEveryStoredSourceWithItsStateIncludingThoseAlreadyOnTheCurrentKey() {
        storeAll(lambda.harness());
        Response rotation = call("POST", "/api/admin/sources/rotate-key", null);
        assertThat(rotation.status()).isEqualTo(200);
        assertThat(rotation.json().path("resealed")).isEmpty();
        assertThat(rotation.json().path("sources")).as(rotation.body()).hasSize(5)
                .allMatch(s -> s.path("state").asText().equals("already_current"));
        assertThat(rotation.json().path("sources").get(0).path("source_type").asText()).isEqualTo("brevo");
    }

    @Test
    void verifySucceedsAgainstEachVendorAndIsRecorded() {
        storeAll(lambda.harness());
        EASYAPPOINTMENTS.clearRequests();
        for (String type : VERIFIABLE) {
            Response r = call("POST", "/api/admin/sources/" + type + "/verify", null);
            assertThat(r.status()).as(type).isEqualTo(200);
            assertThat(r.json().path("succeeded").asBoolean()).as(type + ": " + r.body()).isTrue();
            assertThat(r.json().has("message")).isFalse();
        }
        assertThat(EASYAPPOINTMENTS.count(p -> p.contains("/services?page=1&length=1"))).isEqualTo(1);
        assertThat(ZOOM.tokenRequests()).isPositive();
        assertThat(Rows.number("SELECT count(*) FROM source_verifications WHERE succeeded")).isEqualTo(4);
        JsonNode listed = call("GET", "/api/admin/sources", null).json().path("sources");
        int verified = 0;
        for (JsonNode s : listed) {
            if (s.at("/verification/succeeded").asBoolean(false)) {
                verified++;
            }
        }
        assertThat(verified).isEqualTo(4);
    }

    @Test
    void aBadCredentialIsReportedInTheVendorsWordsWithoutTheCredential() {
        Map<String, String> wrong = Map.of(
                "easyappointments", "{\"url\":\"" + EASYAPPOINTMENTS.url() + "\",\"api_key\":\"wrong-ea-key-0a1b2c3d4e5f\"}",
                "eventbrite", "{\"private_token\":\"wrong-eventbrite-token-2c3d\"}",
                "brevo", "{\"api_key\":\"wrong-brevo-key-4e5f6a7b8c\"}",
                "zoom", "{\"account_id\":\"acc-1\",\"client_id\":\"zoom-plaintext-client-44e1\",\"client_secret\":\"wrong-zoom-secret-6a7b8c9d\"}");
        Map<String, String> vendorWords = Map.of("easyappointments", "not authorized", "eventbrite", "token you provided was invalid",
                "brevo", "Key not found", "zoom", "Invalid client_id or client_secret");
        wrong.forEach((type, body) -> {
            assertThat(call("PUT", "/api/admin/sources/" + type + "/credentials", body).status()).as(type).isEqualTo(200);
            Response r = call("POST", "/api/admin/sources/" + type + "/verify", null);
            assertThat(r.status()).as(type).isEqualTo(200);
            assertThat(r.json().path("succeeded").asBoolean()).isFalse();
            assertThat(r.json().path("message").asText()).as(type).containsPattern("40[01]").contains(vendorWords.get(type))
                    .doesNotContain("wrong-");
        });
        assertThat(Rows.number("SELECT count(*) FROM source_verifications WHERE NOT succeeded")).isEqualTo(4);
        assertThat(LOGS.text()).doesNotContain("wrong-ea-key").doesNotContain("wrong-eventbrite-token")
                .doesNotContain("wrong-brevo-key").doesNotContain("wrong-zoom-secret");
    }

    @Test
    void anEventbriteTokenThatCannotSeeTheOrganizationFails() {
        call("PUT", "/api/admin/sources/eventbrite/credentials",
                "{\"private_token\":\"" + EVENTBRITE_TOKEN + "\",\"organization_id\":\"999\"}");
        Response r = call("POST", "/api/admin/sources/eventbrite/verify", null);
        assertThat(r.json().path("succeeded").asBoolean()).isFalse();
        assertThat(r.json().path("message").asText()).contains("organization 999");
    }

    @Test
    void aVendorThatDoesNotAnswerInTimeIsAFailedVerification() {
        storeAll(lambda.harness());
        BREVO.delay(4000);
        EVENTBRITE.delay(4000);
        ZOOM.delay(4000);
        EASYAPPOINTMENTS.fault(EasyAppointmentsStub.Fault.delay("/services", 4000));
        EASYAPPOINTMENTS.fault(EasyAppointmentsStub.Fault.delay("/services", 4000));
        try {
            for (String type : VERIFIABLE) {
                Response r = call("POST", "/api/admin/sources/" + type + "/verify", null);
                assertThat(r.status()).as(type).isEqualTo(200);
                assertThat(r.json().path("succeeded").asBoolean()).as(type).isFalse();
                assertThat(r.json().path("message").asText()).as(type).contains("timed out")
                        .doesNotContainPattern("[A-Z][A-Za-z]+(Exception|Exhausted|Error)\\b");
            }
        } finally {
            BREVO.delay(0);
            EVENTBRITE.delay(0);
            ZOOM.delay(0);
        }
    }
}
