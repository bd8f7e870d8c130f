package com.engarde.signupsync.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OAuth2 client credentials (Zoom's server-to-server OAuth is this with {@code grant_type=account_credentials}
 * and the account id): the client id and secret go as HTTP Basic to the token endpoint, the answer's
 * {@code access_token} is used as a bearer token until {@link #EARLY} before its {@code expires_in}, and a 401
 * from the API drops it so that the request is sent once more with a fresh one. The token request goes
 * through the same {@link VendorHttp} policy (retries, Retry-After, budget) as every other call.
 */
public final class OAuthClientCredentials implements VendorAuth {

    /** A token is renewed this long before the vendor says it expires, so no request carries a dying one. */
    static final Duration EARLY = Duration.ofMinutes(1);

    private record Token(String value, Instant renewAt) {
    }

    private final URI tokenUri;
    private final Map<String, String> form;
    private final VendorHttp tokens;
    private final ObjectMapper mapper;
    private final Clock clock;
    private Token token;

    /**
     * @param form the token request's form fields ({@code grant_type=client_credentials}, or for Zoom
     *             {@code grant_type=account_credentials} and {@code account_id})
     */
    public OAuthClientCredentials(String vendor, URI tokenUri, String clientId, String clientSecret,
                                  Map<String, String> form, VendorHttp.Settings settings, RetryPolicy retry,
                                  Clock clock, ObjectMapper mapper) {
        VendorHttp.requireSafeBase(tokenUri);
        this.tokenUri = tokenUri;
        this.form = Map.copyOf(form);
        this.mapper = mapper;
        this.clock = clock;
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        this.tokens = new VendorHttp(vendor, VendorAuth.header("Authorization", "Basic " + basic), settings, retry, clock,
                answer -> VendorHttp.jsonMessage(mapper, answer, "reason", "error_description", "error"));
    }

    @Override
    public void apply(HttpRequest.Builder request, TimeBudget budget) {
        request.header("Authorization", "Bearer " + current(budget));
    }

    @Override
    public synchronized boolean renewAfterUnauthorized() {
        token = null;
        return true;
    }

    private synchronized String current(TimeBudget budget) {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(token.renewAt())) {
            token = fetch(budget, now);
        }
        return token.value();
    }

    private Token fetch(TimeBudget budget, Instant now) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        byte[] answer = tokens.postForm(tokenUri, body, budget);
        JsonNode node;
        try {
            node = mapper.readTree(answer);
        } catch (IOException e) {
            throw new VendorException(tokens.vendor(), 200, tokens.vendor() + "'s token endpoint answered with a body that is not JSON", null);
        }
        if (node == null || !node.hasNonNull("access_token")) {
            throw new VendorException(tokens.vendor(), 200, tokens.vendor() + "'s token endpoint answered without an access_token", null);
        }
        long expiresIn = node.path("expires_in").asLong(3600);
        Duration life = Duration.ofSeconds(expiresIn).minus(EARLY);
        return new Token(node.get("access_token").asText(), now.plus(life.isNegative() ? Duration.ZERO : life));
    }
}
