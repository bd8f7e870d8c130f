package com.engarde.signupsync.sources.zoom;

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

/** Zoom: webinar registrants and attendees, through a Server-to-Server OAuth app (client credentials). */
@AutoService(IntegrationDeclaration.class)
public final class ZoomIntegration implements IntegrationDeclaration {

    /** The source type its events carry. */
    public static final SourceType ZOOM = SourceType.of(new ZoomIntegration().integration());

    private static final String RATE_LIMITS = "https://developers.zoom.us/docs/api/rate-limits/";

    @Override
    public Integration integration() {
        return new Integration("zoom", "Zoom", "webinars", Integration.Kind.PULL,
                Integration.AuthMethod.OAUTH2_CLIENT_CREDENTIALS,
                List.of(new CredentialField("account_id", "ZOOM_ACCOUNT_ID", true, Format.IDENTIFIER, true, null,
                                "AbCdEfGhIjKlMnOpQrStUv"),
                        new CredentialField("client_id", "ZOOM_CLIENT_ID", true, Format.IDENTIFIER, true, null,
                                "aBcDeFgHiJkLmNoPqRsT"),
                        new CredentialField("client_secret", "ZOOM_CLIENT_SECRET", true, Format.SECRET, true, null,
                                "the Server-to-Server OAuth app's client secret")),
                List.of("user:read:admin", "meeting:read:admin", "webinar:read:admin", "report:read:admin"),
                List.of(new RateLimit("Light: 4/s and 6,000/day (Free), 30/s (Pro), 80/s (Business+)", RATE_LIMITS),
                        new RateLimit("Medium: 2/s and 2,000/day (Free), 20/s (Pro), 60/s (Business+)", RATE_LIMITS),
                        new RateLimit("Heavy: 1/s and 1,000/day (Free), 10/s (Pro), 40/s (Business+); daily cap shared with"
                                + " Resource-intensive: 30,000 (Pro), 60,000 (Business+)", RATE_LIMITS)),
                List.of("read_webinars", "read_registrants", "read_attendees", "incremental_sync"),
                Integration.SetupDifficulty.MODERATE, "https://developers.zoom.us/docs/internal-apps/s2s-oauth/",
                Optional.of(new Secret("zoom", "ZOOM_SECRET_ARN")), List.of("ZOOM_API_URL", "ZOOM_OAUTH_URL"));
    }
}
