package com.engarde.signupsync.functions.adminsources;

import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.TestDatabase;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What an admin token's claims may carry: verified emails for designation, a bounded lifetime, printable names. */
class AdminTokenClaimsTest {

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(AdminSourcesTest.properties(AdminSourcesTest.KEY_1, null));

    private static Response get(LambdaHarness harness, String token) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request("GET", "/api/admin/sources", null);
        request.getHeaders().put("Authorization", "Bearer " + token);
        return harness.handle(request);
    }

    private static String token(JWTClaimsSet claims) {
        return AdminJwts.hs256(claims, AdminJwts.SECRET);
    }

    @Test
    void designationByEmailNeedsAnEmailTheIssuerVerified() {
        TestDatabase.get().execute("INSERT INTO platform_admins (email, added_by) VALUES ('designated@example.com', 'test')");
        TestDatabase.get().execute("INSERT INTO platform_admins (user_id, added_by) VALUES ('user-by-sub', 'test')");
        Instant now = Instant.now();
        JWTClaimsSet.Builder byEmail = AdminJwts.claims("someone-else", "designated@example.com", false, now);

        assertThat(get(lambda.harness(), token(byEmail.build())).status()).as("no email_verified").isEqualTo(403);
        assertThat(get(lambda.harness(), token(AdminJwts.with(byEmail, c -> c.claim("email_verified", false)))).status())
                .as("email_verified false").isEqualTo(403);
        assertThat(get(lambda.harness(), token(AdminJwts.with(byEmail, c -> c.claim("email_verified", "true")))).status())
                .as("email_verified as a string").isEqualTo(403);
        assertThat(get(lambda.harness(), token(AdminJwts.with(AdminJwts.claims("someone-else", "designated@example.com",
                false, now), c -> c.claim("email_verified", true)))).status()).as("verified").isEqualTo(200);
        assertThat(get(lambda.harness(), AdminJwts.user("user-by-sub", null, now)).status()).as("by sub").isEqualTo(200);
    }

    @Test
    void aTokenLivingLongerThanTheMaximumOrWithoutIssueTimeIsRefused() {
        Instant now = Instant.now();
        Map<String, JWTClaimsSet> refused = new LinkedHashMap<>();
        refused.put("13 hours", AdminJwts.with(AdminJwts.claims("user-root", null, true, now),
                c -> c.expirationTime(Date.from(now.plus(Duration.ofHours(13))))));
        refused.put("until 2100", AdminJwts.with(AdminJwts.claims("user-root", null, true, now),
                c -> c.expirationTime(Date.from(Instant.parse("2100-01-01T00:00:00Z")))));
        refused.put("no iat", AdminJwts.with(AdminJwts.claims("user-root", null, true, now), c -> c.issueTime(null)));
        refused.put("issued in the future", AdminJwts.with(AdminJwts.claims("user-root", null, true, now),
                c -> c.issueTime(Date.from(now.plus(Duration.ofHours(2)))).expirationTime(Date.from(now.plus(Duration.ofHours(3))))));
        refused.put("no exp", AdminJwts.with(AdminJwts.claims("user-root", null, true, now), c -> c.expirationTime(null)));
        refused.forEach((name, claims) -> {
            Response r = get(lambda.harness(), token(claims));
            assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(401);
        });
        assertThat(refused).hasSize(5);
        JWTClaimsSet twelveHours = AdminJwts.with(AdminJwts.claims("user-root", null, true, now),
                c -> c.expirationTime(Date.from(now.plus(Duration.ofHours(12)))));
        assertThat(get(lambda.harness(), token(twelveHours)).status()).isEqualTo(200);
    }

    @Test
    void aControlCharacterInSubjectOrEmailIs401AndNamesNoSqlState() {
        TestDatabase.get().execute("INSERT INTO platform_admins (user_id, added_by) VALUES ('user-designated', 'test')");
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("NUL in sub", AdminJwts.user("user-\u0000designated", null, now));
        tokens.put("NUL in email", token(AdminJwts.with(AdminJwts.claims("user-x", "a\u0000b@example.com", false, now),
                c -> c.claim("email_verified", true))));
        tokens.put("NUL in a superuser's sub", token(AdminJwts.claims("user-\u0000root", null, true, now).build()));
        tokens.put("bidi in sub", AdminJwts.user("user-\u202Edesignated", null, now));
        tokens.put("newline in email", token(AdminJwts.claims("user-root", "root@example.com\n", true, now).build()));
        tokens.forEach((name, token) -> {
            Response r = get(lambda.harness(), token);
            assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(401);
            assertThat(r.body()).as(name).doesNotContain("SQLSTATE").doesNotContain("Exception");
        });
        assertThat(tokens).hasSize(5);
    }

    @Test
    void aJwksUrlMustBeHttpsUnlessLoopback() {
        Map<String, Object> plain = new HashMap<>(AdminSourcesTest.properties(AdminSourcesTest.KEY_1, null));
        plain.put("admin.jwt.jwks.url", "http://issuer.example.com/.well-known/jwks.json");
        try (LambdaHarness harness = new LambdaHarness(plain)) {
            Response r = get(harness, AdminJwts.superuser(Instant.now()));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().path("message").asText()).contains("must use https");
        }
        Map<String, Object> loopback = new HashMap<>(plain);
        loopback.put("admin.jwt.jwks.url", "http://127.0.0.1:9/.well-known/jwks.json");
        try (LambdaHarness harness = new LambdaHarness(loopback)) {
            Response r = get(harness, AdminJwts.superuser(Instant.now()));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().path("message").asText()).doesNotContain("https");
        }
    }
}
