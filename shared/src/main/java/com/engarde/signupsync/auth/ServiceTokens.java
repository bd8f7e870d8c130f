package com.engarde.signupsync.auth;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The service token the En Garde backend presents, and the previous one during a rotation. Compared as
 * SHA-256 digests in constant time, so neither the content nor the length of a token leaks through timing.
 */
@Singleton
public class ServiceTokens {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokens.class);

    private final byte[] current;
    private final byte[] previous;

    public ServiceTokens(@Value("${signup.sync.service.token:}") String current,
                         @Value("${signup.sync.service.token.previous:}") String previous) {
        this.current = digest(current);
        this.previous = digest(previous);
        if (this.current == null) {
            LOG.error("SIGNUP_SYNC_SERVICE_TOKEN is not set: every route that needs the service token answers 401");
        }
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
        // Both comparisons always run.
        boolean matchesCurrent = current != null && MessageDigest.isEqual(presented, current);
        boolean matchesPrevious = previous != null && MessageDigest.isEqual(presented, previous);
        return matchesCurrent | matchesPrevious;
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
