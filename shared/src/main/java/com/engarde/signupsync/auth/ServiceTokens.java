package com.engarde.signupsync.auth;

import com.engarde.signupsync.config.SecretValues;
import com.engarde.signupsync.crypto.Sha256;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.engarde.signupsync.manifest.ServiceScope;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The service tokens the En Garde backend presents: SIGNUP_SYNC_SERVICE_TOKEN (and the previous one during a
 * rotation), which holds every {@link ServiceScope}, and the scoped tokens of SIGNUP_SYNC_SCOPED_TOKENS, each
 * holding the scopes its entry names ({@link ScopedTokenConfiguration}). Compared as SHA-256 digests in constant
 * time, so neither the content nor the length of a token leaks through timing.
 *
 * <p>All are read at each check through {@link SecretValues}: locally the plain settings, in AWS the service-token
 * secret (cached for the secrets TTL). A rotation therefore needs no deploy: put the new token as current and the
 * old one as previous (or add the new digest beside the old one), move the callers, then drop the old one.
 *
 * <p>A scoped-token configuration that cannot be read fails closed: no service token is accepted until it is
 * fixed, and the log says which entry and rule, never a value.
 */
@Singleton
public class ServiceTokens {

    static final String CURRENT = "SIGNUP_SYNC_SERVICE_TOKEN";
    static final String PREVIOUS = "SIGNUP_SYNC_SERVICE_TOKEN_PREVIOUS";
    static final String SCOPED = "SIGNUP_SYNC_SCOPED_TOKENS";

    /** Who presented a known token, by the name its configuration gives it, and what it may call. */
    public record Caller(String name, Set<ServiceScope> scopes) {

        static final Caller ALL_SCOPES = new Caller("service-token", Set.copyOf(EnumSet.allOf(ServiceScope.class)));

        public boolean holds(ServiceScope scope) {
            return scopes.contains(scope);
        }

        public boolean holdsEveryScope() {
            return scopes.containsAll(ALL_SCOPES.scopes());
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokens.class);

    private final SecretValues secrets;
    private final ObjectMapper json;
    private volatile boolean missingReported;
    /** The digest of the last configuration reported as malformed, so one mistake is logged once, not per request. */
    private volatile byte[] malformedReported;

    public ServiceTokens(SecretValues secrets, ObjectMapper json) {
        this.secrets = secrets;
        this.json = json;
    }

    /** The caller whose valid bearer token the Authorization header carries, if it carries one. */
    public Optional<Caller> identify(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = digest(authorizationHeader.substring(7));
        if (presented == null) {
            return Optional.empty();
        }
        byte[] current = digest(secrets.get(CURRENT).orElse(null));
        byte[] previous = digest(secrets.get(PREVIOUS).orElse(null));
        if (current == null && !missingReported) {
            missingReported = true;
            LOG.error("SIGNUP_SYNC_SERVICE_TOKEN is not set: only scoped tokens can call the service-token routes");
        }
        Optional<ScopedTokenConfiguration> scoped = scoped();
        // Every comparison always runs, whichever token matches.
        boolean matchesCurrent = Sha256.same(presented, current);
        boolean matchesPrevious = Sha256.same(presented, previous);
        Optional<ScopedTokenConfiguration.Entry> entry = scoped.flatMap(configuration -> configuration.match(presented));
        if (scoped.isEmpty()) {
            return Optional.empty();
        }
        if (matchesCurrent | matchesPrevious) {
            return Optional.of(Caller.ALL_SCOPES);
        }
        return entry.map(e -> new Caller(e.name(), e.scopes()));
    }

    /** The scoped tokens, or empty when their configuration is malformed (then no token at all is accepted). */
    private Optional<ScopedTokenConfiguration> scoped() {
        String value = secrets.get(SCOPED).orElse(null);
        try {
            return Optional.of(ScopedTokenConfiguration.parse(value, json));
        } catch (IllegalArgumentException e) {
            byte[] reported = digest(value);
            if (!Sha256.same(reported, malformedReported)) {
                malformedReported = reported;
                LOG.error("SIGNUP_SYNC_SCOPED_TOKENS is malformed, so every service-token route answers 401 until it is"
                        + " fixed: {}", e.getMessage());
            }
            return Optional.empty();
        }
    }

    private static byte[] digest(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        return Sha256.digest(token.strip());
    }
}
