package com.engarde.signupsync.admin;

import com.engarde.signupsync.config.SecretValues;
import com.engarde.signupsync.http.VendorUrlPolicy;
import com.engarde.signupsync.http.VendorUrlRefused;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/**
 * Validates the admin JWTs the En Garde backend issues. Keys come from ADMIN_JWT_JWKS_URL (RS256/ES256; fetched
 * at the first admin request, never at start-up, cached, and fetched again when a token names an unknown
 * {@code kid}) or else from the HS256 secret ADMIN_JWT_SECRET (at least 32 bytes; Secrets Manager in AWS).
 * Each mode accepts only its own algorithms, so {@code none} and algorithm switching (an RSA public key used as
 * an HMAC secret) are refused. Expiry and issue time are required, and a token may not live (exp - iat) longer
 * than {@code signup.sync.admin.jwt.max-lifetime} (12 h); expiry, issue time and not-before are checked against
 * the one clock with a small leeway; issuer and audience when ADMIN_JWT_ISSUER and ADMIN_JWT_AUDIENCE are set, and
 * in Lambda (AWS_LAMBDA_FUNCTION_NAME set) they must be: without them every admin token is refused. A subject or
 * email with a control character is refused here, before it reaches a query. The JWKS URL must use https (http
 * only on loopback, by the {@link VendorUrlPolicy}). The email is trusted for designation only with
 * {@code email_verified: true}.
 */
@Singleton
public class AdminTokens {

    static final String JWKS_URL = "ADMIN_JWT_JWKS_URL";
    static final String SECRET = "ADMIN_JWT_SECRET";
    static final String ISSUER = "ADMIN_JWT_ISSUER";
    static final String AUDIENCE = "ADMIN_JWT_AUDIENCE";
    /** Set by the Lambda runtime: where it is, issuer and audience are required. */
    static final String LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
    private static final Set<JWSAlgorithm> JWKS_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final int MIN_SECRET_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(AdminTokens.class);

    private record Jwks(String url, JWKSource<SecurityContext> source) {
    }

    private final SecretValues secrets;
    private final Clock clock;
    private final Duration leeway;
    private final Duration jwksRefreshInterval;
    private final Duration maxLifetime;
    private volatile Jwks jwks;
    private volatile boolean misconfigurationReported;
    private volatile boolean unboundReported;

    public AdminTokens(SecretValues secrets, Clock clock,
                       @Value("${signup.sync.admin.jwt.leeway:60s}") Duration leeway,
                       @Value("${signup.sync.admin.jwt.jwks-min-refresh:30s}") Duration jwksRefreshInterval,
                       @Value("${signup.sync.admin.jwt.max-lifetime:12h}") Duration maxLifetime) {
        this.secrets = secrets;
        this.clock = clock;
        this.leeway = leeway;
        this.jwksRefreshInterval = jwksRefreshInterval;
        this.maxLifetime = maxLifetime;
    }

    /** The token's holder; {@link AdminTokenRejected} with a reason that names no token content otherwise. */
    public AdminPrincipal verify(String authorizationHeader, String requestId) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AdminTokenRejected("an admin token is required: Authorization: Bearer <JWT>");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(authorizationHeader.substring(7).strip());
        } catch (ParseException e) {
            throw new AdminTokenRejected("the admin token is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new AdminTokenRejected("the admin token is not signed");
        }
        JWTClaimsSet claims;
        try {
            claims = processor().process(signed, null);
        } catch (BadJWTException e) {
            throw new AdminTokenRejected("the admin token " + e.getMessage());
        } catch (BadJOSEException e) {
            throw new AdminTokenRejected("the admin token's signature or algorithm is not accepted");
        } catch (JOSEException e) {
            LOG.warn("admin token keys could not be read: {}", e.getClass().getSimpleName());
            throw new AdminTokenRejected("the admin token could not be checked: its keys are unavailable");
        }
        Object superuser = claims.getClaim("is_superuser");
        String email = claims.getClaim("email") instanceof String s && !s.isBlank() ? s.strip() : null;
        boolean emailVerified = Boolean.TRUE.equals(claims.getClaim("email_verified"));
        return new AdminPrincipal(claims.getSubject(), email, emailVerified, Boolean.TRUE.equals(superuser), requestId);
    }

    /**
     * For a SnapStart snapshot: signs a token with a key drawn for this call alone and runs it through the same
     * parsing, signature check and claim checks as {@link #verify}, so the first admin request after a restore
     * finds those classes loaded. Reads no secret and accepts nothing: the key is discarded on return, and
     * {@link #verify} never consults it.
     */
    public void prime() {
        byte[] key = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject("snapshot-priming").claim("is_superuser", false).issueTime(Date.from(clock.instant()))
                    .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(1)))).build());
            token.sign(new MACSigner(key));
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(key)));
            processor.setJWTClaimsSetVerifier((claims, context) -> check(claims, Optional.empty(), Optional.empty()));
            processor.process((SignedJWT) JWTParser.parse(token.serialize()), null);
        } catch (JOSEException | BadJOSEException | ParseException e) {
            throw new IllegalStateException("admin token priming failed: " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private DefaultJWTProcessor<SecurityContext> processor() {
        Optional<String> issuer = secrets.setting(ISSUER);
        Optional<String> audience = secrets.setting(AUDIENCE);
        if ((issuer.isEmpty() || audience.isEmpty()) && secrets.setting(LAMBDA_FUNCTION_NAME).isPresent()) {
            // In AWS a token from any issuer, for any audience, that the key happens to verify is not enough: fail closed.
            if (!unboundReported) {
                unboundReported = true;
                LOG.error("ADMIN_JWT_ISSUER and ADMIN_JWT_AUDIENCE are required in AWS and this function lacks {}:"
                        + " every admin route answers 401", issuer.isEmpty() && audience.isEmpty() ? "both"
                        : issuer.isEmpty() ? ISSUER : AUDIENCE);
            }
            throw new AdminTokenRejected("admin tokens cannot be checked: the service has no token issuer and audience configured");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        Optional<String> url = secrets.setting(JWKS_URL);
        if (url.isPresent()) {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWKS_ALGORITHMS, jwks(url.get())));
        } else {
            byte[] secret = secrets.get(SECRET).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
            if (secret == null || secret.length < MIN_SECRET_BYTES) {
                if (!misconfigurationReported) {
                    misconfigurationReported = true;
                    LOG.error("neither ADMIN_JWT_JWKS_URL nor an ADMIN_JWT_SECRET of at least {} bytes is set:"
                            + " every admin route answers 401", MIN_SECRET_BYTES);
                }
                throw new AdminTokenRejected("admin tokens cannot be checked: the service has no admin key configured");
            }
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret)));
        }
        processor.setJWTClaimsSetVerifier((claims, context) -> check(claims, issuer, audience));
        return processor;
    }

    private void check(JWTClaimsSet claims, Optional<String> issuer, Optional<String> audience) throws BadJWTException {
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw new BadJWTException("has no expiry (exp)");
        }
        if (!now.isBefore(expires.toInstant().plus(leeway))) {
            throw new BadJWTException("has expired");
        }
        Date issued = claims.getIssueTime();
        if (issued == null) {
            throw new BadJWTException("has no issue time (iat)");
        }
        if (now.plus(leeway).isBefore(issued.toInstant())) {
            throw new BadJWTException("was issued in the future (iat)");
        }
        if (Duration.between(issued.toInstant(), expires.toInstant()).compareTo(maxLifetime) > 0) {
            throw new BadJWTException("lives longer than the " + maxLifetime.toHours() + " h an admin token may (exp - iat)");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(leeway).isBefore(notBefore.toInstant())) {
            throw new BadJWTException("is not valid yet (nbf)");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank() || claims.getSubject().length() > 200) {
            throw new BadJWTException("has no subject (sub)");
        }
        if (unprintable(claims.getSubject())) {
            throw new BadJWTException("has a control or formatting character in its subject (sub)");
        }
        if (claims.getClaim("email") instanceof String email && email.length() > 254) {
            throw new BadJWTException("has an email claim longer than an email address can be");
        }
        if (claims.getClaim("email") instanceof String email && unprintable(email)) {
            throw new BadJWTException("has a control or formatting character in its email claim");
        }
        if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
            throw new BadJWTException("was issued by someone else (iss)");
        }
        if (audience.isPresent() && (claims.getAudience() == null || !claims.getAudience().contains(audience.get()))) {
            throw new BadJWTException("is meant for another audience (aud)");
        }
    }

    /** NUL and other control, bidi or zero-width characters: no subject or email the backend issues has one. */
    private static boolean unprintable(String value) {
        return value.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE);
    }

    /** Built at the first admin request, so a cold start fetches nothing; rebuilt only if the URL changes. */
    private JWKSource<SecurityContext> jwks(String url) {
        Jwks current = jwks;
        if (current == null || !current.url().equals(url)) {
            try {
                // The keys that admit admins never travel in clear: https, or http only to a local issuer.
                VendorUrlPolicy.standard().requireSecureTransport(URI.create(url));
            } catch (VendorUrlRefused e) {
                if (!misconfigurationReported) {
                    misconfigurationReported = true;
                    LOG.error("ADMIN_JWT_JWKS_URL is refused, so every admin route answers 401: {}", e.getMessage());
                }
                throw new AdminTokenRejected("admin tokens cannot be checked: ADMIN_JWT_JWKS_URL must use https"
                        + " (http only on a loopback address)");
            } catch (IllegalArgumentException e) {
                throw new AdminTokenRejected("admin tokens cannot be checked: ADMIN_JWT_JWKS_URL is not a URL");
            }
            try {
                // Cached; an unknown kid triggers a fetch, rate-limited so forged kids cannot make us hammer the
                // issuer. No refresh-ahead threads: a Lambda freezes between requests.
                JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(URI.create(url).toURL())
                        .refreshAheadCache(false)
                        .retrying(false)
                        .rateLimited(jwksRefreshInterval.toMillis())
                        .build();
                current = new Jwks(url, source);
                jwks = current;
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new AdminTokenRejected("admin tokens cannot be checked: ADMIN_JWT_JWKS_URL is not a URL");
            }
        }
        return current.source();
    }
}
