package com.engarde.signupsync.sources.brevo;

import com.engarde.signupsync.bus.TimeBudget;
import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.sync.RetryPolicy;
import com.engarde.signupsync.sync.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Verifies a Brevo v3 API key with {@code GET /account} (see shared/sources/brevo.md). */
@Singleton
final class BrevoCheck implements CredentialCheck {

    private final URI base;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper mapper;

    BrevoCheck(@Value("${brevo.api.url:https://api.brevo.com/v3/}") String base,
               @Value("${signup.sync.verify.connect-timeout:5s}") Duration connectTimeout,
               @Value("${signup.sync.verify.request-timeout:10s}") Duration requestTimeout,
               RetryPolicy retry, Clock clock, ObjectMapper mapper) {
        this.base = URI.create(base.endsWith("/") ? base : base + "/");
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.retry = retry;
        this.clock = clock;
        this.mapper = mapper;
    }

    @Override
    public String sourceType() {
        return "brevo";
    }

    @Override
    public void check(Credentials credentials, TimeBudget budget) {
        new VendorHttp("Brevo", Map.of("api-key", credentials.require("api_key")), connectTimeout, requestTimeout,
                VendorHttp.RateLimit.NONE, retry, clock, this::errorMessage).get(base.resolve("account"), budget);
    }

    /** {@code {"code": "unauthorized", "message": "Key not found"}}. */
    private String errorMessage(VendorHttp.Answer answer) {
        try {
            JsonNode node = mapper.readTree(answer.body());
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IOException notJson) {
            // no message
        }
        return null;
    }
}
