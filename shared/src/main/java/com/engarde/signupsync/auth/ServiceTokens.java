package com.engarde.signupsync.auth;

import com.engarde.signupsync.config.SecretValues;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The service token the En Garde backend presents, and the previous one during a rotation. Compared as
 * SHA-256 digests in constant time, so neither the content nor the length of a token leaks through timing.
 *
 * <p>Both are read at each check through {@link SecretValues}: locally SIGNUP_SYNC_SERVICE_TOKEN and
 * SIGNUP_SYNC_SERVICE_TOKEN_PREVIOUS, in AWS the service-token secret (cached for the secrets TTL). A rotation
 * therefore needs no deploy: put the new token as current and the old one as previous, move the callers, then
 * drop previous.
 */
@Singleton
public class ServiceTokens {

    static final String CURRENT = "SIGNUP_SYNC_SERVICE_TOKEN";
    static final String PREVIOUS = "SIGNUP_SYNC_SERVICE_TOKEN_PREVIOUS";

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokens.class);

    private final SecretValues secrets;
    private volatile boolean missingReported;

    public ServiceTokens(SecretValues secrets) {
        this.secrets = secrets;
    }

    /** True when the Authorization header carries a valid bearer token. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = digest(authorizationHeader.substring(7).strip());
        if (presented == null) {
            return false;
        }
        byte[] current = digest(secrets.get(CURRENT));
        byte[] previous = digest(secrets.get(PREVIOUS));
        if (current == null && !missingReported) {
            missingReported = true;
            LOG.error("SIGNUP_SYNC_SERVICE_TOKEN is not set: every route that needs the service token answers 401");
        }
        // Both comparisons always run.
        boolean matchesCurrent = current != null && MessageDigest.isEqual(presented, current);
        boolean matchesPrevious = previous != null && MessageDigest.isEqual(presented, previous);
        return matchesCurrent | matchesPrevious;
    }

    private static byte[] digest(Optional<String> token) {
        return digest(token.orElse(null));
    }

    private static byte[] digest(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.strip().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
