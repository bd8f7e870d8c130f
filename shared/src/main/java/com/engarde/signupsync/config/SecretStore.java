package com.engarde.signupsync.config;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secret strings read from Secrets Manager by ARN, at first use and then at most once per TTL, so a rotated value
 * reaches every running container within the TTL. Nothing is read while the function initialises, and
 * {@link #forgetAll()} runs before a SnapStart snapshot is taken (snapstart.SnapshotPriming), so no secret value
 * and no client holding credentials is ever part of a snapshot.
 */
@Singleton
public class SecretStore implements AutoCloseable {

    private record Cached(String value, Instant fetchedAt) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final URI endpoint;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile SecretsManagerClient client;

    public SecretStore(Clock clock,
                       @Value("${signup.sync.secrets.ttl:5m}") Duration ttl,
                       @Nullable @Value("${signup.sync.secrets.endpoint:}") String endpoint) {
        this.clock = clock;
        this.ttl = ttl;
        this.endpoint = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint);
    }

    /** The secret's current string value. Fails without naming the value, only the secret. */
    public String secretString(String secretArn) {
        Instant now = clock.instant();
        Cached cached = cache.get(secretArn);
        if (cached != null && now.isBefore(cached.fetchedAt().plus(ttl))) {
            return cached.value();
        }
        GetSecretValueResponse response;
        try {
            response = client().getSecretValue(request -> request.secretId(secretArn));
        } catch (RuntimeException e) {
            throw new IllegalStateException("secret " + secretArn + " could not be read: " + e.getClass().getSimpleName(), e);
        }
        if (response.secretString() == null) {
            throw new IllegalStateException("secret " + secretArn + " has no string value");
        }
        cache.put(secretArn, new Cached(response.secretString(), now));
        return response.secretString();
    }

    /** Forgets one secret, so the next read asks Secrets Manager: after the value was refused, say. */
    public void invalidate(String secretArn) {
        cache.remove(secretArn);
    }

    private SecretsManagerClient client() {
        SecretsManagerClient current = client;
        if (current == null) {
            synchronized (this) {
                current = client;
                if (current == null) {
                    // Built at first use, after any SnapStart restore: credentials are resolved in the running
                    // environment (SnapStart functions get them from the container endpoint, not env variables).
                    var builder = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
                    if (endpoint != null) {
                        builder.endpointOverride(endpoint);
                    }
                    client = current = builder.build();
                }
            }
        }
        return current;
    }

    /** How many secrets are cached right now. */
    public int cached() {
        return cache.size();
    }

    /**
     * Forgets every value and drops the client (and with it the credentials it resolved); the next read builds a
     * new client and asks Secrets Manager again.
     */
    public synchronized void forgetAll() {
        cache.clear();
        SecretsManagerClient current = client;
        client = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    @PreDestroy
    public void close() {
        forgetAll();
    }
}
