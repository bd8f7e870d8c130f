package com.engarde.signupsync.sources.acme;

import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integration.CredentialField;
import com.engarde.signupsync.integrations.Integration.Format;
import com.engarde.signupsync.integrations.Integration.RateLimit;
import com.engarde.signupsync.integrations.Integration.Secret;
import com.engarde.signupsync.integrations.IntegrationDeclaration;
import com.google.auto.service.AutoService;

import java.util.List;
import java.util.Optional;

/** A pull source that exists only in this module's tests (AddingAnIntegrationTest): declared here and nowhere else. */
@AutoService(IntegrationDeclaration.class)
public final class AcmeIntegration implements IntegrationDeclaration {

    static final String TYPE = "acme";

    @Override
    public Integration integration() {
        return new Integration(TYPE, "Acme Bookings", "scheduling", Integration.Kind.PULL, Integration.AuthMethod.API_KEY,
                List.of(new CredentialField("api_key", "ACME_API_KEY", true, Format.SECRET, true, null,
                        "acme_live_0123456789abcdefABCDEF")),
                List.of("bookings:read"),
                List.of(new RateLimit("60 requests per minute", "a test vendor: AcmeIntegration")),
                List.of("read_bookings"), Integration.SetupDifficulty.EASY, "https://acme.example/docs",
                Optional.of(new Secret("acme", "ACME_SECRET_ARN")), List.of());
    }
}
