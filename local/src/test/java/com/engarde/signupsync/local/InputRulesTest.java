package com.engarde.signupsync.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.manifest.FunctionManifest.Route;
import com.engarde.signupsync.manifest.RouteAuth;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one set of input rules, route by route: ids and numbers in ASCII digits only, an empty or repeated query
 * parameter refused naming it, invisible and bidi characters refused in filters and names, and a value the
 * database cannot hold refused before it, in words.
 */
class InputRulesTest {

    private static final String NO_INTERNALS = "SQLSTATE|[A-Z][a-z]+(Exception|Exhausted)|java\\.";
    private static final String WEBHOOK_SECRET = "test-posh-secret-not-a-secret";
    private static LambdaHarness lambda;
    private static List<Route> routes;
    private static String adminToken;

    @BeforeAll
    static void start() {
        TestDatabase.get().truncate();
        Map<String, Object> properties = new HashMap<>(AdminJwts.PROPERTIES);
        properties.put("signup.sync.encryption.key", Base64.getEncoder().encodeToString(new byte[32]));
        properties.put("poshvip.webhook.secret", WEBHOOK_SECRET);
        lambda = new LambdaHarness(properties);
        routes = lambda.context().getBean(FunctionManifests.class).routes();
        adminToken = AdminJwts.superuser(Instant.now());
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    private static Response send(String method, String path, String query, String body, boolean admin) {
        APIGatewayProxyRequestEvent event = LambdaHarness.request(method, path, body);
        if (admin) {
            event.getHeaders().put("Authorization", "Bearer " + adminToken);
        }
        return lambda.handle(query == null ? event : LambdaHarness.withQuery(event, query));
    }

    private static Response send(Route route, String path, String query) {
        String body = route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
        return send(route.method(), path, query, body, route.auth() == RouteAuth.ADMIN_JWT);
    }

    private static void assertRefused(Response response, String field, String what) {
        assertThat(response.status()).as(what + " -> " + response.body()).isEqualTo(400);
        assertThat(response.json().path("field").asText(null)).as(what + " -> " + response.body()).isEqualTo(field);
        assertThat(response.json().path("message").asText()).as(what).doesNotContainPattern(NO_INTERNALS);
    }

    @Test
    void anAdminIdInOtherDigitsOrWithASignRemovesNobody() {
        Response added = send("POST", "/api/admin/platform/admins", null, "{\"email\":\"digits@example.com\"}", true);
        assertThat(added.status()).as(added.body()).isBetween(200, 201);
        long id = added.json().path("admin").path("id").asLong();
        assertThat(id).isPositive();
        String ascii = Long.toString(id);
        for (String spelling : List.of(arabicIndic(ascii), fullwidth(ascii), "+" + ascii, " " + ascii)) {
            Response removed = send("DELETE", "/api/admin/platform/admins/" + encode(spelling), null, null, true);
            assertRefused(removed, "id", "DELETE admins/" + spelling);
        }
        assertThat(send("GET", "/api/admin/platform/admins", null, null, true).body()).contains("digits@example.com");
        assertThat(send("DELETE", "/api/admin/platform/admins/" + ascii, null, null, true).status()).isEqualTo(200);
    }

    @Test
    void numbersInQueryParametersAreAsciiDigitsOnly() {
        Map<String, List<String>> numbers = Map.of(
                "/analytics/funnel-leads", List.of("limit", "after", "stage"),
                "/api/admin/audit", List.of("before", "limit"),
                "/api/admin/platform/usage/users", List.of("page", "page_size"),
                "/api/admin/platform/usage/export", List.of("offset"),
                "/sync/poshvip/deliveries", List.of("limit", "before_id"));
        int cases = 0;
        for (Map.Entry<String, List<String>> e : numbers.entrySet()) {
            boolean admin = e.getKey().startsWith("/api/admin");
            for (String name : e.getValue()) {
                // The leads list needs a stage: given, unless it is the parameter under test.
                String rest = e.getKey().endsWith("funnel-leads") && !name.equals("stage") ? "&stage=1" : "";
                for (String value : List.of("\u0661\u0662", "\uff11", "+1", "1\u0661")) {
                    assertRefused(send("GET", e.getKey(), name + "=" + encode(value) + rest, null, admin), name,
                            e.getKey() + "?" + name + "=" + value);
                    cases++;
                }
                Response ascii = send("GET", e.getKey(), name + "=1" + rest, null, admin);
                assertThat(ascii.status()).as(e.getKey() + "?" + name + "=1 -> " + ascii.body()).isEqualTo(200);
            }
        }
        assertThat(cases).isEqualTo(40);
    }

    /** Every route, the same answer: the parameter named, never the default taken or the first value kept. */
    @Test
    void anEmptyOrRepeatedParameterIsRefusedOnEveryRoute() {
        int cases = 0;
        for (Route route : routes) {
            String path = route.path().replaceAll("\\{[^}]+}", "1");
            for (String query : List.of("limit=", "limit=%20", "limit", "limit=1&limit=1")) {
                assertRefused(send(route, path, query), "limit", route.method() + " " + path + "?" + query);
                cases++;
            }
        }
        assertThat(routes.size()).isGreaterThanOrEqualTo(35);
        assertThat(cases).isEqualTo(routes.size() * 4);
    }

    @Test
    void invisibleAndBidiCharactersAreRefusedInFiltersAndNames() {
        for (String hostile : List.of("a\u200bb", "a\u202eb", "a\u2066b", "\u2060a", "a\ufeffb")) {
            for (String name : List.of("utm_source", "utm_medium", "utm_campaign")) {
                assertRefused(send("GET", "/analytics/funnel-metrics", name + "=" + encode(hostile), null, false), name,
                        name + "=" + hostile);
            }
            for (String name : List.of("actor", "action", "target_type", "target_id")) {
                assertRefused(send("GET", "/api/admin/audit", name + "=" + encode(hostile), null, true), name,
                        name + "=" + hostile);
            }
            String brand = "{\"brand_name\":\"En" + hostile.replace("\u200b", "\\u200b").replace("\u202e", "\\u202e")
                    .replace("\u2066", "\\u2066").replace("\u2060", "\\u2060").replace("\ufeff", "\\ufeff") + "Garde\"}";
            assertRefused(send("POST", "/api/admin/platform/brands", null, brand, true), "brand_name", brand);
        }
    }

    @Test
    void aNulInAPathIsRefusedInWordsBeforeTheDatabase() {
        int cases = 0;
        for (Route route : routes) {
            if (!route.path().contains("{")) {
                continue;
            }
            String path = route.path().replaceAll("\\{[^}]+}", "a%00b");
            Response response = send(route, path, null);
            assertThat(response.status()).as(route + " -> " + response.body()).isBetween(400, 404);
            assertThat(response.json().path("message").asText()).as(route + " -> " + response.body())
                    .doesNotContainPattern(NO_INTERNALS);
            cases++;
        }
        for (String path : List.of("/sync/a%00b", "/sync/%00", "/sync/easy%E2%80%8Bappointments")) {
            Response response = send("POST", path, null, null, false);
            assertRefused(response, "source_type", "POST " + path);
            cases++;
        }
        assertThat(cases).isGreaterThanOrEqualTo(10);
    }

    /** A NUL in a delivery's field fails the delivery naming the field, not with the database's error code. */
    @Test
    void aWebhookDeliveryWithANulIsKeptWithAReasonInWords() {
        String body = "{\"type\":\"new_order\",\"account_email\":\"nul@example.com\",\"order_number\":\"n-1\","
                + "\"event_id\":\"e-1\",\"event_name\":\"Open\\u0000Day\",\"date_purchased\":\"2026-03-01T10:00:00Z\"}";
        APIGatewayProxyRequestEvent event = LambdaHarness.request("POST", "/api/webhooks/poshvip", body);
        event.getHeaders().remove("Authorization");
        event.getHeaders().put("Posh-Secret", WEBHOOK_SECRET);
        Response response = lambda.handle(event);
        assertThat(response.body()).doesNotContainPattern(NO_INTERNALS);
        assertThat(com.engarde.signupsync.testing.Rows.number("SELECT count(*) FROM webhook_deliveries")).isEqualTo(1);
        String reason = String.valueOf(com.engarde.signupsync.testing.Rows.row(
                "SELECT coalesce(reason, status) AS reason FROM webhook_deliveries").get("reason"));
        assertThat(reason).doesNotContainPattern(NO_INTERNALS).contains("event_name").contains("U+0000");
    }

    @Test
    void auditLogTimesOutsideTheCalendarAreRefusedInWords() {
        for (String name : List.of("from", "to")) {
            for (String value : List.of("-0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z",
                    "-300000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
                assertRefused(send("GET", "/api/admin/audit", name + "=" + encode(value), null, true), name,
                        name + "=" + value);
            }
        }
        assertThat(send("GET", "/api/admin/audit", "from=2026-01-01T00:00:00Z", null, true).status()).isEqualTo(200);
    }

    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String arabicIndic(String digits) {
        return digits.chars().map(c -> c - '0' + '\u0660').collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString();
    }

    private static String fullwidth(String digits) {
        return digits.chars().map(c -> c - '0' + '\uff10').collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString();
    }
}
