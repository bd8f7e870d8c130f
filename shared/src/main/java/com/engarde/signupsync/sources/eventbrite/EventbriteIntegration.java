package com.engarde.signupsync.sources.eventbrite;

import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integration.CredentialField;
import com.engarde.signupsync.integrations.Integration.Format;
import com.engarde.signupsync.integrations.Integration.RateLimit;
import com.engarde.signupsync.integrations.Integration.Secret;
import com.engarde.signupsync.integrations.IntegrationDeclaration;
import com.google.auto.service.AutoService;

import java.util.List;
import java.util.Optional;

/** Eventbrite: attendees and orders, read with an account's private token. */
@AutoService(IntegrationDeclaration.class)
public final class EventbriteIntegration implements IntegrationDeclaration {

    /** The source type its events carry. */
    public static final SourceType EVENTBRITE = SourceType.of(new EventbriteIntegration().integration());

    @Override
    public Integration integration() {
        return new Integration("eventbrite", "Eventbrite", "events", Integration.Kind.PULL,
                Integration.AuthMethod.PRIVATE_TOKEN,
                List.of(new CredentialField("private_token", "EVENTBRITE_OAUTH_TOKEN", true, Format.SECRET, true,
                                "[A-Z0-9]{20,}", "ABCDEFGHIJKLMNOPQRST"),
                        new CredentialField("organization_id", "EVENTBRITE_ORGANIZATION_ID", false, Format.IDENTIFIER,
                                false, null, "123456789012")),
                List.of(),
                List.of(new RateLimit("2,000 calls per hour per token (429 HIT_RATE_LIMIT, no Retry-After)",
                        "Eventbrite API Blueprint, error table (https://www.eventbrite.com/platform/api)")),
                List.of("read_events", "read_attendees", "read_orders", "incremental_sync"),
                Integration.SetupDifficulty.EASY, "https://www.eventbrite.com/platform/api",
                Optional.of(new Secret("eventbrite", "EVENTBRITE_SECRET_ARN")), List.of("EVENTBRITE_API_URL"));
    }
}
