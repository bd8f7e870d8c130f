package com.engarde.signupsync.credentials;

import com.engarde.signupsync.http.OAuthClientCredentials;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.VendorAuth;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The vendor HTTP policy as a {@link CredentialCheck} uses it: short timeouts (an admin is waiting), the one
 * retry policy and clock, and error messages read from the named fields of the vendor's JSON error body.
 */
@Singleton
public class CheckHttp {

    private final VendorHttp.Settings settings;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper mapper;

    CheckHttp(@Value("${signup.sync.verify.connect-timeout:5s}") Duration connectTimeout,
              @Value("${signup.sync.verify.request-timeout:10s}") Duration requestTimeout,
              RetryPolicy retry, Clock clock, ObjectMapper mapper) {
        this.settings = new VendorHttp.Settings(connectTimeout, requestTimeout, VendorHttp.RateLimit.NONE);
        this.retry = retry;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** The verify timeouts, for a check that builds its vendor's own client. */
    public VendorHttp.Settings settings() {
        return settings;
    }

    /** A client presenting {@code auth} (the credential; never logged). */
    public VendorHttp client(String vendor, VendorAuth auth, String... messageFields) {
        return new VendorHttp(vendor, auth, settings, retry, clock, answer -> VendorHttp.jsonMessage(mapper, answer, messageFields));
    }

    /** OAuth2 client credentials against {@code tokenUri}, with the same timeouts. */
    public VendorAuth oauth(String vendor, URI tokenUri, String clientId, String clientSecret, Map<String, String> form) {
        return new OAuthClientCredentials(vendor, tokenUri, clientId, clientSecret, form, settings, retry, clock, mapper);
    }

    /** A 2xx body that must be a JSON object. */
    public JsonNode object(String vendor, String what, byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new VendorException(vendor, 200, vendor + " answered " + what + " with a body that is not a JSON object", null);
    }

    /** A configured base URL, with the trailing slash that {@link URI#resolve(String)} needs; https unless loopback. */
    public static URI base(String url) {
        return VendorHttp.requireSafeBase(URI.create(url.endsWith("/") ? url : url + "/"));
    }
}
