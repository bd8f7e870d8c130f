package com.engarde.signupsync.sources.brevo;

import com.engarde.signupsync.credentials.CheckHttp;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.TimeBudgetExhausted;
import com.engarde.signupsync.http.VendorAuth;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorHttp;
import com.engarde.signupsync.http.VendorUrlRefused;
import com.engarde.signupsync.privacy.ContactErasure;
import com.engarde.signupsync.privacy.ContactErasureFailed;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * An erasure's Brevo step: {@code DELETE /v3/contacts/{email}?identifierType=email_id} (shared/sources/brevo.md §9),
 * 204 when deleted, 404 when Brevo held no such contact (done either way). One attempt per request, as an admin
 * waits; a failure leaves the step failed and the erasure running, and asking for the erasure again retries it.
 */
@Singleton
final class BrevoContactErasure implements ContactErasure {

    private final URI base;
    private final SourceCredentials credentials;
    private final Clock clock;
    private final ObjectMapper json;
    private final VendorHttp.Settings settings;

    BrevoContactErasure(@Value("${brevo.api.url:`https://api.brevo.com/v3/`}") String base, CheckHttp check,
                        SourceCredentials credentials, Clock clock, ObjectMapper json) {
        this.base = VendorHttp.requireSafeBase(URI.create(base.endsWith("/") ? base : base + "/"));
        this.credentials = credentials;
        this.clock = clock;
        this.json = json;
        this.settings = check.settings();
    }

    @Override
    public String destination() {
        return "brevo";
    }

    @Override
    public void erase(String email) {
        String key = credentials.find("brevo").flatMap(c -> c.field("api_key"))
                .orElseThrow(() -> new ContactErasureFailed("Brevo has no API key (BREVO_API_KEY or stored credentials)"));
        VendorHttp http = new VendorHttp("Brevo", VendorAuth.header("api-key", key), settings, RetryPolicy.once(), clock,
                answer -> VendorHttp.jsonMessage(json, answer, "message"), BrevoErrors.reading(json));
        URI contact = base.resolve("contacts/" + URLEncoder.encode(email, StandardCharsets.UTF_8).replace("+", "%20")
                + "?identifierType=email_id");
        try {
            http.delete(contact, TimeBudget.of(clock.instant(), settings.connectTimeout().plus(settings.requestTimeout()),
                    Duration.ZERO));
        } catch (VendorException e) {
            // Brevo's message may quote the address: only the status and code are kept.
            throw new ContactErasureFailed(e.status() == 0 ? "Brevo could not be reached"
                    : "Brevo refused the delete: " + e.status() + (e.code() == null ? "" : " " + e.code()));
        } catch (TimeBudgetExhausted | VendorUrlRefused e) {
            throw new ContactErasureFailed("Brevo could not be reached in time");
        }
    }
}
