package com.engarde.signupsync.sources.brevo;

import com.engarde.signupsync.http.VendorHttp;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Optional;

/**
 * Brevo's error answers: {@code {"code": "duplicate_parameter", "message": "..."}}; a 429 is a rate, never a quota,
 * and says when it resets in {@code x-sib-ratelimit-reset} (seconds; Brevo sends no Retry-After).
 */
final class BrevoErrors {

    private BrevoErrors() {
    }

    static VendorHttp.ErrorReading reading(ObjectMapper json) {
        return reading(json, VendorHttp.RateLimit.NONE);
    }

    /**
     * As {@link #reading(ObjectMapper)}, for a client paced to {@code pace}: an answer whose window has no request
     * left holds the next request for the announced reset only when the account allows fewer requests a second
     * ({@code x-sib-ratelimit-limit}) than the pace sends; at or under it, the pace already waits the window out,
     * and the reset, in whole seconds, would only slow it down.
     */
    static VendorHttp.ErrorReading reading(ObjectMapper json, VendorHttp.RateLimit pace) {
        return new VendorHttp.ErrorReading() {
            @Override
            public String code(VendorHttp.Answer answer) {
                return VendorHttp.jsonField(json, answer, "code");
            }

            @Override
            public Optional<java.time.Instant> quotaResetsAt(VendorHttp.Answer answer, java.net.http.HttpHeaders headers,
                                                             java.time.Instant now) {
                return Optional.empty();
            }

            @Override
            public Optional<String> retryAfter(java.net.http.HttpHeaders headers) {
                return headers.firstValue("x-sib-ratelimit-reset");
            }

            @Override
            public Optional<java.time.Duration> exhaustedFor(java.net.http.HttpHeaders headers) {
                Optional<String> remaining = headers.firstValue("x-sib-ratelimit-remaining");
                if (remaining.isEmpty()) {
                    return Optional.empty();
                }
                try {
                    if (Long.parseLong(remaining.get().strip()) > 0) {
                        return Optional.of(java.time.Duration.ZERO);
                    }
                    Optional<String> limit = headers.firstValue("x-sib-ratelimit-limit");
                    if (limit.isPresent() && pace.requests() > 0
                            && pace.requests() * 1000.0 / Math.max(1, pace.window().toMillis())
                               <= Double.parseDouble(limit.get().strip())) {
                        return Optional.of(java.time.Duration.ZERO);
                    }
                    double seconds = Double.parseDouble(headers.firstValue("x-sib-ratelimit-reset").orElse("1").strip());
                    // A reset beyond a minute is not a window of requests per second; the 429's own wait handles it.
                    return Optional.of(java.time.Duration.ofMillis((long) (Math.min(Math.max(seconds, 0), 60) * 1000)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        };
    }
}
