package com.engarde.signupsync.admin;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** In Lambda, admin tokens are checked against an issuer and an audience or not accepted at all. */
class AdminTokensInLambdaTest {

    private static final String SECRET = "throwaway-admin-jwt-secret-for-this-test-only-0123";

    private static String token() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("admin-1").issuer("https://auth.example.com/").audience("signup-sync-admin")
                .issueTime(Date.from(Instant.now()))
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))).build());
        jwt.sign(new MACSigner(SECRET));
        return "Bearer " + jwt.serialize();
    }

    private static ApplicationContext context(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(Map.of("admin.jwt.secret", SECRET));
        properties.putAll(extra);
        return ApplicationContext.run(properties);
    }

    @Test
    void inLambdaWithoutIssuerAndAudienceEveryTokenIsRefused() throws Exception {
        String token = token();
        for (Map<String, Object> missing : java.util.List.<Map<String, Object>>of(Map.of(),
                Map.of("admin.jwt.issuer", "https://auth.example.com/"), Map.of("admin.jwt.audience", "signup-sync-admin"))) {
            Map<String, Object> properties = new HashMap<>(missing);
            properties.put("aws.lambda.function.name", "signup-sync-dev-admin-platform");
            try (ApplicationContext context = context(properties)) {
                assertThatThrownBy(() -> context.getBean(AdminTokens.class).verify(token, "r-1")).as(missing.toString())
                        .isInstanceOf(AdminTokenRejected.class).hasMessageContaining("issuer and audience");
            }
        }
    }

    @Test
    void inLambdaWithIssuerAndAudienceAMatchingTokenIsAccepted() throws Exception {
        try (ApplicationContext context = context(Map.of("aws.lambda.function.name", "signup-sync-dev-admin-platform",
                "admin.jwt.issuer", "https://auth.example.com/", "admin.jwt.audience", "signup-sync-admin"))) {
            assertThat(context.getBean(AdminTokens.class).verify(token(), "r-1").subject()).isEqualTo("admin-1");
        }
    }

    @Test
    void outsideLambdaIssuerAndAudienceStayOptional() throws Exception {
        try (ApplicationContext context = context(Map.of())) {
            assertThat(context.getBean(AdminTokens.class).verify(token(), "r-1").subject()).isEqualTo("admin-1");
        }
    }
}
