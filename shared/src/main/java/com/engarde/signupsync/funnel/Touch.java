package com.engarde.signupsync.funnel;

import java.time.Instant;

/** One attributed touch: where a lead came from, when, and with which UTM parameters. */
public record Touch(String sourceType, Instant occurredAt, String utmSource, String utmMedium, String utmCampaign,
                    String utmTerm, String utmContent) {
}
