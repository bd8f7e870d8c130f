package com.engarde.signupsync.sources.brevo;

import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integration.CredentialField;
import com.engarde.signupsync.integrations.Integration.Format;
import com.engarde.signupsync.integrations.Integration.RateLimit;
import com.engarde.signupsync.integrations.Integration.Secret;
import com.engarde.signupsync.integrations.IntegrationDeclaration;
import com.google.auto.service.AutoService;

import java.util.List;
import java.util.Optional;

/** Brevo: where contacts go (email lists), with an account's API key. */
@AutoService(IntegrationDeclaration.class)
public final class BrevoIntegration implements IntegrationDeclaration {

    private static final String RATE_LIMITS = "https://developers.brevo.com/docs/api-limits";

    @Override
    public Integration integration() {
        return new Integration("brevo", "Brevo", "email", Integration.Kind.DESTINATION, Integration.AuthMethod.API_KEY,
                List.of(new CredentialField("api_key", "BREVO_API_KEY", true, Format.SECRET, true, null,
                        "xkeysib-0123456789abcdef0123456789abcdef-AbCdEfGhIjKlMnOp")),
                List.of(),
                List.of(new RateLimit("/v3/contacts/*: 10 requests/second and 36,000/hour (General tier)", RATE_LIMITS),
                        new RateLimit("endpoints not listed: 100 requests/hour (General tier)", RATE_LIMITS)),
                List.of("write_contacts", "manage_lists"),
                Integration.SetupDifficulty.EASY, "https://developers.brevo.com/docs/getting-started",
                Optional.of(new Secret("brevo", "BREVO_SECRET_ARN")), List.of("BREVO_API_URL", "BREVO_INVITATION_TEMPLATE_ID"));
    }
}
