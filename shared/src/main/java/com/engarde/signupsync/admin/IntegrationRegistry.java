package com.engarde.signupsync.admin;

import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;
import com.engarde.signupsync.sync.SyncSchedule;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every declared integration as the En Garde frontend's registry shows it: what it is (from its declaration) and
 * how it stands here and now (credentials and where from, the last verify, active, the last run, the next
 * scheduled run), the live part read where the admin listing reads it.
 */
@Singleton
public class IntegrationRegistry {

    /** One integration: its declaration, then its state; a state not there yet is null, never left out. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Entry(String type, String displayName, String category,
                        @Schema(allowableValues = {"pull_api", "webhook", "destination", "service"}) String integrationMethod,
                        @Schema(allowableValues = {"api_key", "oauth2_client_credentials", "private_token", "webhook_secret"}) String authMethod,
                        List<String> capabilities, List<String> requiredScopes, List<CredentialField> credentialFields,
                        List<RateLimit> rateLimits,
                        @Schema(allowableValues = {"easy", "moderate", "advanced"}) String setupDifficulty,
                        String documentationUrl, boolean configured,
                        @Schema(allowableValues = {"stored", "environment", "none"}) String configuredFrom,
                        boolean verifiable,
                        @Nullable @Schema(nullable = true) Instant lastVerifiedAt,
                        @Nullable @Schema(nullable = true) Boolean lastVerifySucceeded,
                        @Nullable @Schema(nullable = true, description = "active or not; null for a destination, which has no switch") Boolean active,
                        @Nullable @Schema(nullable = true, allowableValues = {"running", "succeeded", "failed", "partial"}) String lastRunStatus,
                        @Nullable @Schema(nullable = true) Instant lastRunAt,
                        @Nullable @Schema(nullable = true, description = "the daily schedule's next time for an active pull source; null otherwise") Instant nextScheduledRunAt) {
    }

    /** A credential field as a setup form needs it; never a value. */
    public record CredentialField(String name, boolean required, boolean secret,
                                  @Schema(allowableValues = {"url", "identifier", "secret", "webhook_secret"}) String format,
                                  String example) {
    }

    public record RateLimit(String limit, String documentedIn) {
    }

    private final SourceAdministration sources;
    private final Set<String> verifiable;
    private final SyncSchedule schedule;
    private final Clock clock;

    public IntegrationRegistry(SourceAdministration sources, List<CredentialCheck> checks, SyncSchedule schedule,
                               Clock clock) {
        this.sources = sources;
        this.verifiable = checks.stream().map(CredentialCheck::sourceType).collect(Collectors.toSet());
        this.schedule = schedule;
        this.clock = clock;
    }

    public List<Entry> entries() {
        Map<String, SourceAdministration.SourceView> views = sources.list().stream()
                .collect(Collectors.toMap(SourceAdministration.SourceView::sourceType, Function.identity()));
        Instant now = clock.instant();
        return Integrations.declared().all().stream().map(i -> entry(i, views.get(i.type()), now)).toList();
    }

    private Entry entry(Integration integration, SourceAdministration.SourceView view, Instant now) {
        SourceAdministration.Verification verified = view.verification();
        boolean scheduled = integration.kind() == Integration.Kind.PULL && Boolean.TRUE.equals(view.active());
        return new Entry(integration.type(), integration.displayName(), integration.category(),
                integration.kind().method(), integration.authMethod().id(), integration.capabilities(),
                integration.scopes(),
                integration.credentials().stream().map(f -> new CredentialField(f.name(), f.required(), f.secret(),
                        f.format().id(), f.example())).toList(),
                integration.rateLimits().stream().map(r -> new RateLimit(r.limit(), r.documentedIn())).toList(),
                integration.setupDifficulty().id(), integration.documentation(),
                view.credentials().configured(), view.credentials().origin(), verifiable.contains(integration.type()),
                verified == null ? null : verified.verifiedAt(), verified == null ? null : verified.succeeded(),
                integration.kind() == Integration.Kind.DESTINATION ? null : view.active(),
                view.lastRunStatus(), view.lastRunAt(),
                scheduled ? schedule.nextAfter(now).orElse(null) : null);
    }
}
