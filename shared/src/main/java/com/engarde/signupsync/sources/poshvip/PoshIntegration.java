package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integration.CredentialField;
import com.engarde.signupsync.integrations.Integration.Format;
import com.engarde.signupsync.integrations.Integration.Secret;
import com.engarde.signupsync.integrations.IntegrationDeclaration;
import com.google.auto.service.AutoService;

import java.util.List;
import java.util.Optional;

/** Posh.VIP: order webhooks it posts to us, checked against a shared secret; no API to pull from. */
@AutoService(IntegrationDeclaration.class)
public final class PoshIntegration implements IntegrationDeclaration {

    /** The source type its events carry. */
    public static final SourceType POSHVIP = SourceType.of(new PoshIntegration().integration());

    @Override
    public Integration integration() {
        // The previous secret keeps deliveries signed before the vendor switched over accepted during a rotation.
        return new Integration("poshvip", "Posh.VIP", "ticketing", Integration.Kind.WEBHOOK,
                Integration.AuthMethod.WEBHOOK_SECRET,
                List.of(new CredentialField("webhook_secret", "POSHVIP_WEBHOOK_SECRET", true, Format.WEBHOOK_SECRET,
                                true, null, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                        new CredentialField("previous_webhook_secret", "POSHVIP_WEBHOOK_SECRET_PREVIOUS", false,
                                Format.WEBHOOK_SECRET, true, null, "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")),
                List.of(), List.of(),
                List.of("receive_orders", "replay_failed_deliveries"),
                Integration.SetupDifficulty.EASY, "https://university.posh.vip/university/post/a-guide-to-webhooks-at-posh",
                Optional.of(new Secret("poshvip-webhook-secret", "POSHVIP_WEBHOOK_SECRET_ARN")), List.of());
    }
}
