package com.engarde.signupsync.sources.eventbrite;

import com.engarde.signupsync.bus.TimeBudget;
import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.sync.RetryPolicy;
import com.engarde.signupsync.sync.VendorException;
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

/**
 * Verifies an Eventbrite private token with {@code GET /users/me/organizations/} (see shared/sources/eventbrite.md)
 * and, when an organization id is given, that the token can see that organization.
 */
@Singleton
final class EventbriteCheck implements CredentialCheck {

    static final String VENDOR = "Eventbrite";

    private final URI base;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper mapper;

    EventbriteCheck(@Value("${eventbrite.api.url:https://www.eventbriteapi.com/v3/}") String base,
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
        return "eventbrite";
    }

    @Override
    public void check(Credentials credentials, TimeBudget budget) {
        VendorHttp http = new VendorHttp(VENDOR, Map.of("Authorization", "Bearer " + credentials.require("private_token")),
                connectTimeout, requestTimeout, VendorHttp.RateLimit.NONE, retry, clock, this::errorMessage);
        JsonNode organizations = read(http.get(base.resolve("users/me/organizations/"), budget)).path("organizations");
        String wanted = credentials.field("organization_id").orElse(null);
        if (wanted == null) {
            return;
        }
        for (JsonNode organization : organizations) {
            if (wanted.equals(organization.path("id").asText())) {
                return;
            }
        }
        throw new VendorException(VENDOR, 200, "the token works, but organization " + wanted
                + " is not among the organizations it can see", null);
    }

    private JsonNode read(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new VendorException(VENDOR, 200, VENDOR + " answered /users/me/organizations/ with a body that is not a JSON object", null);
    }

    /** {@code {"error": "INVALID_AUTH", "error_description": "...", "status_code": 401}}. */
    private String errorMessage(VendorHttp.Answer answer) {
        try {
            JsonNode node = mapper.readTree(answer.body());
            if (node != null && node.hasNonNull("error_description")) {
                return node.path("error").asText("") + " " + node.get("error_description").asText();
            }
        } catch (IOException notJson) {
            // no message
        }
        return null;
    }
}
