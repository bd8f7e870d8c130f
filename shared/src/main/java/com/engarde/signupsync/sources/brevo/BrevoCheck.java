package com.engarde.signupsync.sources.brevo;

import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.credentials.CheckHttp;
import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.http.VendorAuth;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;

/**
 * Verifies a Brevo v3 API key with {@code GET /account} (see shared/sources/brevo.md); errors are
 * {@code {"code": "unauthorized", "message": "Key not found"}}.
 */
@Singleton
final class BrevoCheck implements CredentialCheck {

    private final URI base;
    private final CheckHttp http;

    BrevoCheck(@Value("${brevo.api.url:`https://api.brevo.com/v3/`}") String base, CheckHttp http) {
        this.base = CheckHttp.base(base);
        this.http = http;
    }

    @Override
    public String sourceType() {
        return "brevo";
    }

    @Override
    public void check(Credentials credentials, TimeBudget budget) {
        http.client("Brevo", VendorAuth.header("api-key", credentials.require("api_key")), "message")
                .get(base.resolve("account"), budget);
    }
}
