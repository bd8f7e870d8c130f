package com.engarde.signupsync.sources.eventbrite;

import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.credentials.CheckHttp;
import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.http.VendorAuth;
import com.engarde.signupsync.http.VendorException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;

/**
 * Verifies an Eventbrite private token with {@code GET /users/me/organizations/} (see shared/sources/eventbrite.md)
 * and, when an organization id is given, that the token can see that organization. Errors are
 * {@code {"error": "INVALID_AUTH", "error_description": "...", "status_code": 401}}.
 */
@Singleton
final class EventbriteCheck implements CredentialCheck {

    static final String VENDOR = "Eventbrite";

    private final URI base;
    private final CheckHttp http;

    // The URL only, not EventbriteSettings: a check calls with the verify timeouts, never the sync's.
    EventbriteCheck(@Value("${eventbrite.api.url:`https://www.eventbriteapi.com/v3/`}") String base, CheckHttp http) {
        this.base = CheckHttp.base(base);
        this.http = http;
    }

    @Override
    public String sourceType() {
        return "eventbrite";
    }

    @Override
    public void check(Credentials credentials, TimeBudget budget) {
        byte[] body = http.client(VENDOR, VendorAuth.bearer(credentials.require("private_token")),
                "error_description", "error").get(base.resolve("users/me/organizations/"), budget);
        JsonNode organizations = http.object(VENDOR, "/users/me/organizations/", body).path("organizations");
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
}
