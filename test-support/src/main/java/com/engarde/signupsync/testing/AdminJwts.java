package com.engarde.signupsync.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;

/**
 * Admin JWTs for tests, shaped as the En Garde backend issues them. Throwaway test values only: the HS256
 * {@link #SECRET} is what {@link #PROPERTIES} configure, with {@link #ISSUER} and {@link #AUDIENCE}.
 */
public final class AdminJwts {

    public static final String SECRET = "test-admin-jwt-secret-not-a-secret-0123456789";
    public static final String ISSUER = "https://engarde.test";
    public static final String AUDIENCE = "signup-sync";
    public static final java.util.Map<String, Object> PROPERTIES = java.util.Map.of(
            "admin.jwt.secret", SECRET, "admin.jwt.issuer", ISSUER, "admin.jwt.audience", AUDIENCE);

    private AdminJwts() {
    }

    /** Claims valid for an hour from {@code now}: subject, email, issuer, audience. */
    public static JWTClaimsSet.Builder claims(String subject, String email, boolean superuser, Instant now) {
        return new JWTClaimsSet.Builder().subject(subject).claim("email", email).claim("is_superuser", superuser)
                .issuer(ISSUER).audience(AUDIENCE).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    public static String superuser(Instant now) {
        return hs256(claims("user-root", "root@example.com", true, now).build(), SECRET);
    }

    public static String user(String subject, String email, Instant now) {
        return hs256(claims(subject, email, false, now).build(), SECRET);
    }

    public static String hs256(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rs256(JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same claims with {@code "alg": "none"} and no signature. */
    public static String unsigned(JWTClaimsSet claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    public static JWTClaimsSet with(JWTClaimsSet.Builder claims, UnaryOperator<JWTClaimsSet.Builder> change) {
        return change.apply(claims).build();
    }
}
