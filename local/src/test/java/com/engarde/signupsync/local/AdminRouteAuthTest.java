package com.engarde.signupsync.local;

import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.manifest.FunctionManifest.Route;
import com.engarde.signupsync.manifest.RouteAuth;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.testing.JwksStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every route a manifest marks admin-jwt and proves who gets through: 401 for a missing or bad token of
 * every kind, 403 for a valid token of someone who is not an admin (or not a superuser where the route wants
 * one), 2xx for a superuser and for a designated admin. Every function is on this module's classpath. A queue entry
 * the walk approves is invited without an email, since this run configures no Brevo template, and that is warned of.
 */
@ExpectsWarnings({"invitation \\d+ was not sent: ", "sync run \\d+ of brevo failed: "})
class AdminRouteAuthTest {

    /** A request each admin route answers 2xx to; a new admin route must add its own here. */
    private record Sample(String path, String body) {
    }

    private static final String ENCRYPTION_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static LambdaHarness lambda;
    private static List<Route> adminRoutes;
    private static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        Map<String, Object> properties = new HashMap<>(AdminJwts.PROPERTIES);
        properties.put("signup.sync.encryption.key", ENCRYPTION_KEY);
        properties.put("brevo.api.key", "walk-env-brevo-key");
        // Nothing listens on the discard port: verify answers 200 with the failure, at once.
        properties.put("brevo.api.url", "http://127.0.0.1:9/v3/");
        properties.put("signup.sync.http.attempts", 1);
        lambda = new LambdaHarness(properties);
        adminRoutes = lambda.context().getBean(FunctionManifests.class).routes().stream()
                .filter(r -> r.auth() == RouteAuth.ADMIN_JWT).toList();
        SAMPLES.put("GET /api/admin/analytics/funnel-metrics", new Sample("/api/admin/analytics/funnel-metrics", null));
        SAMPLES.put("GET /api/admin/sources", new Sample("/api/admin/sources", null));
        SAMPLES.put("PUT /api/admin/sources/{type}/credentials",
                new Sample("/api/admin/sources/brevo/credentials", "{\"api_key\":\"walk-stored-brevo-key-0a1b2c3d\"}"));
        SAMPLES.put("POST /api/admin/sources/{type}/verify", new Sample("/api/admin/sources/brevo/verify", null));
        SAMPLES.put("PATCH /api/admin/sources/{type}", new Sample("/api/admin/sources/poshvip", "{\"active\":true}"));
        SAMPLES.put("POST /api/admin/sources/rotate-key", new Sample("/api/admin/sources/rotate-key", null));
        SAMPLES.put("GET /api/platform-integrations/registry", new Sample("/api/platform-integrations/registry", null));
        SAMPLES.put("GET /api/admin/platform/admins", new Sample("/api/admin/platform/admins", null));
        SAMPLES.put("POST /api/admin/platform/admins",
                new Sample("/api/admin/platform/admins", "{\"email\":\"walk@example.com\"}"));
        SAMPLES.put("DELETE /api/admin/platform/admins/{id}", new Sample("/api/admin/platform/admins/{removable}", null));
        SAMPLES.put("GET /api/admin/audit", new Sample("/api/admin/audit", null));
        SAMPLES.put("GET /api/admin/people", new Sample("/api/admin/people?email=walk@example.com", null));
        SAMPLES.put("DELETE /api/admin/people", new Sample("/api/admin/people?email=erased{unique}@example.com", null));
        SAMPLES.put("GET /api/admin/people/erasures/{id}", new Sample("/api/admin/people/erasures/{erasure}", null));
        SAMPLES.put("GET /api/admin/easyappointments/appointments", new Sample("/api/admin/easyappointments/appointments", null));
        SAMPLES.put("GET /api/admin/easyappointments/booking-stats", new Sample("/api/admin/easyappointments/booking-stats", null));
        SAMPLES.put("GET /api/admin/easyappointments/insights", new Sample("/api/admin/easyappointments/insights", null));
        SAMPLES.put("POST /api/admin/easyappointments/appointments/{id}/outcome",
                new Sample("/api/admin/easyappointments/appointments/{appointment}/outcome", "{\"outcome\":\"completed\"}"));
        SAMPLES.put("POST /api/admin/easyappointments/add-bookers-to-queue",
                new Sample("/api/admin/easyappointments/add-bookers-to-queue", "{}"));
        SAMPLES.put("GET /api/admin/signup-queue", new Sample("/api/admin/signup-queue", null));
        SAMPLES.put("POST /api/admin/easyappointments/sync-to-email-list",
                new Sample("/api/admin/easyappointments/sync-to-email-list", "{\"list_id\":7}"));
        SAMPLES.put("POST /api/admin/email-list/sync", new Sample("/api/admin/email-list/sync", "{\"list_id\":7}"));
        SAMPLES.put("POST /api/admin/signup-queue/add", new Sample("/api/admin/signup-queue/add", "{\"source_type\":\"zoom\"}"));
        SAMPLES.put("POST /api/admin/signup-queue/{id}/approve", new Sample("/api/admin/signup-queue/{pending}/approve", "{}"));
        SAMPLES.put("POST /api/admin/signup-queue/{id}/reject",
                new Sample("/api/admin/signup-queue/{pending}/reject", "{\"reason\":\"walk\"}"));
        SAMPLES.put("POST /api/admin/signup-queue/{id}/invitation/resend",
                new Sample("/api/admin/signup-queue/{invited}/invitation/resend", "{}"));
        SAMPLES.put("POST /api/admin/signup-queue/{id}/invitation/revoke",
                new Sample("/api/admin/signup-queue/{invited}/invitation/revoke", null));
        SAMPLES.put("GET /api/admin/platform/brands", new Sample("/api/admin/platform/brands", null));
        SAMPLES.put("POST /api/admin/platform/brands",
                new Sample("/api/admin/platform/brands", "{\"brand_name\":\"Walk {unique}\"}"));
        SAMPLES.put("GET /api/admin/platform/brands/{brand_id}/usage",
                new Sample("/api/admin/platform/brands/{brand}/usage", null));
        SAMPLES.put("GET /api/admin/platform/usage/users", new Sample("/api/admin/platform/usage/users", null));
        SAMPLES.put("GET /api/admin/platform/usage/tenants", new Sample("/api/admin/platform/usage/tenants", null));
        SAMPLES.put("GET /api/admin/platform/usage/export", new Sample("/api/admin/platform/usage/export", null));
        SAMPLES.put("POST /api/admin/platform/usage/rollups", new Sample("/api/admin/platform/usage/rollups",
                "{\"date_from\":\"2026-03-01\",\"date_to\":\"2026-03-02\"}"));
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    @BeforeEach
    void designatedAdmin() {
        TestDatabase.get().truncate();
        TestDatabase.get().execute("INSERT INTO platform_admins (user_id, added_by) VALUES ('user-designated', 'test')");
    }

    @Test
    void thereAreAdminRoutesAndEachHasASample() {
        assertThat(adminRoutes).hasSizeGreaterThanOrEqualTo(9);
        assertThat(adminRoutes).allSatisfy(r -> assertThat(SAMPLES).containsKey(r.method() + " " + r.path()));
    }

    @Test
    void everyAdminRouteRefusesEveryBadTokenWith401() {
        Instant now = Instant.now();
        JWTClaimsSet.Builder valid = AdminJwts.claims("user-root", "root@example.com", true, now);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("no token", null);
        bad.put("not bearer", "Basic " + AdminJwts.superuser(now));
        bad.put("expired", AdminJwts.hs256(AdminJwts.with(valid, c -> c
                .expirationTime(Date.from(now.minus(Duration.ofMinutes(5))))), AdminJwts.SECRET));
        bad.put("not yet valid", AdminJwts.hs256(AdminJwts.with(AdminJwts.claims("user-root", null, true, now), c -> c
                .notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10))))), AdminJwts.SECRET));
        bad.put("no expiry", AdminJwts.hs256(AdminJwts.with(AdminJwts.claims("user-root", null, true, now), c -> c
                .expirationTime(null)), AdminJwts.SECRET));
        bad.put("wrong issuer", AdminJwts.hs256(AdminJwts.with(AdminJwts.claims("user-root", null, true, now), c -> c
                .issuer("https://elsewhere.test")), AdminJwts.SECRET));
        bad.put("wrong audience", AdminJwts.hs256(AdminJwts.with(AdminJwts.claims("user-root", null, true, now), c -> c
                .audience("another-service")), AdminJwts.SECRET));
        bad.put("alg none", AdminJwts.unsigned(AdminJwts.claims("user-root", null, true, now).build()));
        bad.put("wrong signature", AdminJwts.hs256(AdminJwts.claims("user-root", null, true, now).build(),
                "another-secret-that-is-long-enough-0123456789"));
        bad.put("service token", LambdaHarness.TOKEN);
        bad.put("garbage", "not.a.jwt");

        int checked = 0;
        for (Route route : adminRoutes) {
            for (Map.Entry<String, String> token : bad.entrySet()) {
                Response r = call(route, token.getValue() == null ? null
                        : token.getKey().equals("not bearer") ? token.getValue() : "Bearer " + token.getValue());
                assertThat(r.status()).as(route.method() + " " + route.path() + " with " + token.getKey()).isEqualTo(401);
                assertThat(r.json().path("error").asText()).isEqualTo("unauthorized");
                assertThat(r.headers()).containsKey("WWW-Authenticate");
                checked++;
            }
        }
        assertThat(checked).isEqualTo(adminRoutes.size() * bad.size());
        assertThat(Rows.count("platform_admin_actions")).isZero();
    }

    @Test
    void aValidTokenOfSomeoneWhoIsNotAnAdminGets403Everywhere() {
        String nobody = AdminJwts.user("user-nobody", "nobody@example.com", Instant.now());
        for (Route route : adminRoutes) {
            Response r = call(route, "Bearer " + nobody);
            assertThat(r.status()).as(route.method() + " " + route.path()).isEqualTo(403);
            assertThat(r.json().path("error").asText()).isEqualTo("forbidden");
        }
    }

    @Test
    void aSuperuserPassesEveryAdminRoute() {
        String root = AdminJwts.superuser(Instant.now());
        for (Route route : adminRoutes) {
            Response r = call(route, "Bearer " + root);
            assertThat(r.status()).as(route.method() + " " + route.path() + ": " + r.body()).isBetween(200, 202);
        }
    }

    @Test
    void aDesignatedAdminPassesAdminRoutesAndIsRefusedSuperuserOnes() {
        String designated = AdminJwts.user("user-designated", "designated@example.com", Instant.now());
        long superuserOnly = adminRoutes.stream().filter(Route::superuserOnly).count();
        assertThat(superuserOnly).isPositive().isLessThan(adminRoutes.size());
        for (Route route : adminRoutes) {
            Response r = call(route, "Bearer " + designated);
            if (route.superuserOnly()) {
                assertThat(r.status()).as(route.method() + " " + route.path()).isEqualTo(403);
            } else {
                assertThat(r.status()).as(route.method() + " " + route.path() + ": " + r.body()).isBetween(200, 202);
            }
        }
    }

    @Test
    void aDesignatedAdminByEmailPassesInAnyCase() {
        TestDatabase.get().execute("INSERT INTO platform_admins (email, added_by) VALUES ('ada@example.com', 'test')");
        JWTClaimsSet.Builder claims = AdminJwts.claims("user-ada", "Ada@Example.com", false, Instant.now());
        Response verified = lambda.handle(request("GET", "/api/admin/sources", null, "Bearer " + AdminJwts.hs256(
                AdminJwts.with(claims, c -> c.claim("email_verified", true)), AdminJwts.SECRET)));
        assertThat(verified.status()).isEqualTo(200);
        // Designation by email trusts only an address the issuer verified.
        Response unverified = lambda.handle(request("GET", "/api/admin/sources", null,
                "Bearer " + AdminJwts.user("user-ada", "Ada@Example.com", Instant.now())));
        assertThat(unverified.status()).isEqualTo(403);
    }

    @Test
    void anAdminJwtIsNotAServiceToken() {
        APIGatewayProxyRequestEvent request = request("POST", "/funnel/event", "{}", "Bearer " + AdminJwts.superuser(Instant.now()));
        assertThat(lambda.handle(request).status()).isEqualTo(401);
    }

    @Test
    void jwksKeysAreFetchedAtTheFirstAdminRequestAndAgainForAnUnknownKid() {
        try (JwksStub jwks = new JwksStub();
             LambdaHarness withJwks = new LambdaHarness(Map.of("admin.jwt.jwks.url", jwks.url(),
                     "admin.jwt.issuer", AdminJwts.ISSUER, "admin.jwt.audience", AdminJwts.AUDIENCE,
                     "signup.sync.admin.jwt.jwks-min-refresh", "1ms"))) {
            RSAKey first = jwks.rotate("key-1", false);
            assertThat(jwks.fetches()).as("nothing fetched at start-up").isZero();
            Instant now = Instant.now();
            JWTClaimsSet root = AdminJwts.claims("user-root", null, true, now).build();

            assertThat(withJwks.handle(request("GET", "/api/admin/sources", null, "Bearer " + AdminJwts.rs256(root, first)))
                    .status()).isEqualTo(200);
            assertThat(withJwks.handle(request("GET", "/api/admin/sources", null, "Bearer " + AdminJwts.rs256(root, first)))
                    .status()).isEqualTo(200);
            assertThat(jwks.fetches()).as("cached").isEqualTo(1);

            RSAKey second = jwks.rotate("key-2", true);
            assertThat(withJwks.handle(request("GET", "/api/admin/sources", null, "Bearer " + AdminJwts.rs256(root, second)))
                    .status()).as("the new kid makes it fetch again").isEqualTo(200);
            assertThat(jwks.fetches()).isEqualTo(2);
            assertThat(withJwks.handle(request("GET", "/api/admin/sources", null, "Bearer " + AdminJwts.rs256(root, first)))
                    .status()).as("the retired key no longer signs").isEqualTo(401);
            assertThat(withJwks.handle(request("GET", "/api/admin/sources", null, "Bearer " + AdminJwts.superuser(now)))
                    .status()).as("HS256 is not accepted where the keys are a JWKS").isEqualTo(401);
        }
    }

    @Test
    void withNoAdminKeyConfiguredEveryAdminRouteAnswers401() {
        try (LambdaHarness unconfigured = new LambdaHarness(Map.of())) {
            Response r = unconfigured.handle(request("GET", "/api/admin/sources", null,
                    "Bearer " + AdminJwts.superuser(Instant.now())));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().path("message").asText()).contains("no admin key configured");
        }
    }

    private static Response call(Route route, String authorization) {
        Sample sample = SAMPLES.get(route.method() + " " + route.path());
        String path = sample.path();
        if (path.contains("{removable}")) {
            long id = Rows.number("INSERT INTO platform_admins (email, added_by) VALUES ('gone" + System.nanoTime()
                    + "@example.com', 'test') RETURNING id");
            path = path.replace("{removable}", String.valueOf(id));
        }
        if (path.contains("{brand}")) {
            Object id = Rows.row("INSERT INTO platform_brands (tenant_id, brand_name) VALUES"
                    + " ('00000000-0000-0000-0000-000000000002', 'walk-" + System.nanoTime() + "') RETURNING id").get("id");
            path = path.replace("{brand}", id.toString());
        }
        if (path.contains("{appointment}")) {
            // A past synced appointment, which an outcome may be recorded for.
            long id = Rows.number("WITH l AS (INSERT INTO leads (email) VALUES ('walk" + System.nanoTime()
                    + "@example.com') RETURNING id) INSERT INTO easyappointments_appointments (appointment_id, booked_at,"
                    + " start_at, end_at, timezone, status, status_outcome, customer_id, customer_email, lead_id, synced_at)"
                    + " SELECT " + System.nanoTime() + ", now() - interval '9 days', now() - interval '2 days',"
                    + " now() - interval '2 days' + interval '30 minutes', 'UTC', 'Booked', 'booked', 1, 'walk@example.com',"
                    + " l.id, now() FROM l RETURNING appointment_id");
            path = path.replace("{appointment}", String.valueOf(id));
        }
        if (path.contains("{pending}") || path.contains("{invited}")) {
            // A queue entry of its own per call: a decision is made once.
            long id = Rows.number("WITH l AS (INSERT INTO leads (email) VALUES ('queued" + System.nanoTime()
                    + "@example.com') RETURNING id) INSERT INTO signup_queue (lead_id, source_type, status, decided_by, decided_at)"
                    + " SELECT l.id, 'easyappointments', " + (path.contains("{invited}") ? "'approved', 'walk', now()" : "'pending', NULL, NULL")
                    + " FROM l RETURNING id");
            if (path.contains("{invited}")) {
                Rows.number("INSERT INTO invitations (queue_id, token_hash, expires_at, created_by) VALUES (?,"
                        + " sha256(convert_to(?, 'UTF8')), now() + interval '7 days', 'walk') RETURNING id", id, "walk" + System.nanoTime());
            }
            path = path.replace("{pending}", String.valueOf(id)).replace("{invited}", String.valueOf(id));
        }
        if (path.contains("{erasure}")) {
            long id = Rows.number("INSERT INTO erasures (email_hash, requested_by) VALUES"
                    + " (sha256(convert_to(?, 'UTF8')), 'walk') RETURNING id", "walk" + System.nanoTime());
            path = path.replace("{erasure}", String.valueOf(id));
        }
        path = path.replace("{unique}", String.valueOf(System.nanoTime()));
        String body = sample.body() == null ? null : sample.body().replace("{unique}", String.valueOf(System.nanoTime()));
        int query = path.indexOf('?');
        if (query >= 0) {
            return lambda.handle(LambdaHarness.withQuery(request(route.method(), path.substring(0, query), body, authorization),
                    path.substring(query + 1)));
        }
        return lambda.handle(request(route.method(), path, body, authorization));
    }

    static APIGatewayProxyRequestEvent request(String method, String path, String body, String authorization) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request(method, path, body);
        request.getHeaders().remove("Authorization");
        if (authorization != null) {
            request.getHeaders().put("Authorization", authorization);
        }
        return request;
    }
}
