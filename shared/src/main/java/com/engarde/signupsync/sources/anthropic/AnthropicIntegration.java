package com.engarde.signupsync.sources.anthropic;

import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integration.CredentialField;
import com.engarde.signupsync.integrations.Integration.Format;
import com.engarde.signupsync.integrations.Integration.RateLimit;
import com.engarde.signupsync.integrations.Integration.Secret;
import com.engarde.signupsync.integrations.IntegrationDeclaration;
import com.google.auto.service.AutoService;

import java.util.List;
import java.util.Optional;

/** Anthropic: the Messages API writes the insights' short narratives from aggregated figures, with an API key. */
@AutoService(IntegrationDeclaration.class)
public final class AnthropicIntegration implements IntegrationDeclaration {

    public static final String TYPE = "anthropic";

    @Override
    public Integration integration() {
        return new Integration(TYPE, "Anthropic", "ai", Integration.Kind.SERVICE, Integration.AuthMethod.API_KEY,
                List.of(new CredentialField("api_key", "ANTHROPIC_API_KEY", true, Format.SECRET, true,
                        "sk-ant-[A-Za-z0-9_-]{20,}", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")),
                List.of(),
                List.of(new RateLimit("per organization and usage tier: requests, input tokens and output tokens per minute;"
                        + " 429 with retry-after", "https://docs.anthropic.com/en/api/rate-limits")),
                List.of("write_summaries"),
                Integration.SetupDifficulty.EASY, "https://docs.anthropic.com/en/api/messages",
                Optional.of(new Secret("anthropic", "ANTHROPIC_SECRET_ARN")), List.of("ANTHROPIC_API_URL", "ANTHROPIC_MODEL"));
    }
}
