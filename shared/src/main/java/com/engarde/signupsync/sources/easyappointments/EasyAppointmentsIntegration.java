package com.engarde.signupsync.sources.easyappointments;

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

/** EasyAppointments: bookings pulled from the instance's REST API with its API key. */
@AutoService(IntegrationDeclaration.class)
public final class EasyAppointmentsIntegration implements IntegrationDeclaration {

    /** The source type its events carry. */
    public static final SourceType EASYAPPOINTMENTS = SourceType.of(new EasyAppointmentsIntegration().integration());

    @Override
    public Integration integration() {
        return new Integration("easyappointments", "EasyAppointments", "scheduling", Integration.Kind.PULL,
                Integration.AuthMethod.API_KEY,
                List.of(new CredentialField("url", "EASYAPPOINTMENTS_URL", true, Format.URL, false, null,
                                "https://booking.example.com/index.php/api/v1/"),
                        new CredentialField("api_key", "EASYAPPOINTMENTS_API_KEY", true, Format.SECRET, true, null,
                                "a 32-character token from Settings, API")),
                List.of(),
                List.of(new RateLimit("100 requests per 120 seconds per client IP (the instance's default; 429 without Retry-After)",
                        "EasyAppointments source: application/helpers/rate_limit_helper.php")),
                List.of("read_appointments", "read_customers", "incremental_sync", "deletions"),
                Integration.SetupDifficulty.EASY, "https://easyappointments.org/docs.html",
                Optional.of(new Secret("easyappointments", "EASYAPPOINTMENTS_SECRET_ARN")), List.of());
    }
}
