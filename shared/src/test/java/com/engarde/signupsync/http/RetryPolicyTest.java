package com.engarde.signupsync.http;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Exponential backoff with full jitter, capped; rate-limit waits of at least the vendor's window. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofMinutes(10), d -> { });

    @RepeatedTest(20)
    void backoffStaysWithinItsExponentialCeiling() {
        assertThat(policy.backoff(1)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(policy.backoff(3)).isBetween(Duration.ZERO, Duration.ofSeconds(4));
        assertThat(policy.backoff(12)).isBetween(Duration.ZERO, Duration.ofSeconds(60));
    }

    @Test
    void backoffIsJittered() {
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> policy.backoff(6)).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    @RepeatedTest(20)
    void aRateLimitWithoutRetryAfterWaitsAtLeastTheWindow() {
        assertThat(policy.rateLimitBackoff(1, Duration.ofSeconds(120)))
                .isBetween(Duration.ofSeconds(120), Duration.ofSeconds(132));
    }
}
