package com.engarde.signupsync.sources.zoom;

import com.engarde.signupsync.credentials.CheckHttp;
import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.http.TimeBudget;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Map;

/**
 * Verifies Zoom Server-to-Server OAuth credentials (see shared/sources/zoom.md): a token from
 * {@code POST /oauth/token} with {@code grant_type=account_credentials}, then one page of {@code GET /users}.
 * Token errors are {@code {"reason": "...", "error": "invalid_client"}}; API errors {@code {"code", "message"}}.
 */
@Singleton
final class ZoomCheck implements CredentialCheck {

    static final String VENDOR = "Zoom";

    private final URI api;
    private final URI token;
    private final CheckHttp http;

    // The URLs only, not ZoomSettings: a check calls with the verify timeouts, never the sync's.
    ZoomCheck(@Value("${zoom.api.url:`https://api.zoom.us/v2/`}") String api,
              @Value("${zoom.oauth.url:`https://zoom.us/oauth/token`}") String token, CheckHttp http) {
        this.api = CheckHttp.base(api);
        this.token = java.net.URI.create(token);
        this.http = http;
    }

    @Override
    public String sourceType() {
        return "zoom";
    }

    @Override
    public void check(Credentials credentials, TimeBudget budget) {
        var auth = http.oauth(VENDOR, token, credentials.require("client_id"), credentials.require("client_secret"),
                Map.of("grant_type", "account_credentials", "account_id", credentials.require("account_id")));
        byte[] users = http.client(VENDOR, auth, "message").get(api.resolve("users?page_size=1"), budget);
        http.object(VENDOR, "/users", users);
    }
}
