package com.engarde.signupsync.funnel;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** A lead that became a platform user, with its attribution as it stood at that moment. */
public record Conversion(long id, long leadId, String email, String platformUserId, @Nullable String tenantId,
                         Instant convertedAt, Touch firstTouch, Touch lastTouch, long secondsToConversion,
                         Instant createdAt) {
}
