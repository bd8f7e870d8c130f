package com.engarde.signupsync.http;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The one retry policy for every vendor call and bus publish: up to {@code attempts} tries, waiting between
 * them an exponential backoff with full jitter (a random time up to base x 2^n, capped), or what the vendor
 * asks for in Retry-After. Jitter keeps many functions that failed together from retrying together.
 */
@Singleton
public class RetryPolicy {

    /** How the policy waits; tests record the waits instead of sleeping through them. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final int attempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration maxRetryAfter;
    private final Sleeper sleeper;
    /**
     * Not ThreadLocalRandom: its seeds derive from a value fixed when the JVM starts, so every container restored
     * from one SnapStart snapshot would draw the same jitter and retry in step. Lambda re-seeds SecureRandom on
     * every restore.
     */
    private final RandomGenerator jitter = new SecureRandom();

    public RetryPolicy(@Value("${signup.sync.http.attempts:6}") int attempts,
                       @Value("${signup.sync.http.base-delay:1s}") Duration baseDelay,
                       @Value("${signup.sync.http.max-delay:60s}") Duration maxDelay,
                       @Value("${signup.sync.http.max-retry-after:10m}") Duration maxRetryAfter) {
        this(attempts, baseDelay, maxDelay, maxRetryAfter, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    public RetryPolicy(int attempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter, Sleeper sleeper) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.attempts = attempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.maxRetryAfter = maxRetryAfter;
        this.sleeper = sleeper;
    }

    /**
     * A policy that never retries, for a request the vendor may have carried out although its answer was lost or
     * an error (a transactional email): once is the most it happens.
     */
    public static RetryPolicy once() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, d -> {
        });
    }

    public int attempts() {
        return attempts;
    }

    /** The longest Retry-After honoured; a vendor asking for more fails the run with its message. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** The wait before retry number {@code retry} (1 for the first retry): random in [0, min(max, base x 2^(retry-1))]. */
    public Duration backoff(int retry) {
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(30, Math.max(0, retry - 1)));
        return Duration.ofMillis(jitter.nextLong(ceiling + 1));
    }

    /**
     * The wait after a rate-limit answer without Retry-After: at least {@code pause} (the vendor's window, when
     * it documents one), spread by up to a tenth so that parallel callers do not return in step.
     */
    public Duration rateLimitBackoff(int retry, Duration pause) {
        Duration backoff = backoff(retry);
        if (pause == null || pause.isZero() || backoff.compareTo(pause) >= 0) {
            return backoff;
        }
        return pause.plusMillis(jitter.nextLong(pause.toMillis() / 10 + 1));
    }

    public void pause(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
