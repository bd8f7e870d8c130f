package com.engarde.signupsync.appointments;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A written summary of computed figures, and whether one was written now ({@code present}), taken from the cache
 * ({@code cached}), not asked for ({@code absent}: no key) or not obtained ({@code failed}); why, when not present.
 */
@Schema(name = "InsightNarrative")
public record Narrative(@Schema(allowableValues = {"present", "cached", "absent", "failed"}) String status,
                       @Nullable String reason, @Nullable String text) {

    public static Narrative present(String text) {
        return new Narrative("present", null, text);
    }

    public static Narrative cached(String text) {
        return new Narrative("cached", null, text);
    }

    public static Narrative absent(String reason) {
        return new Narrative("absent", reason, null);
    }

    public static Narrative failed(String reason) {
        return new Narrative("failed", reason, null);
    }
}
