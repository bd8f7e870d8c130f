package com.engarde.signupsync.funnel;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** One attributed touch: where a lead came from, when, and with which UTM parameters. */
public record Touch(String sourceType, Instant occurredAt, @Nullable String utmSource, @Nullable String utmMedium,
                    @Nullable String utmCampaign, @Nullable String utmTerm, @Nullable String utmContent) {
}
