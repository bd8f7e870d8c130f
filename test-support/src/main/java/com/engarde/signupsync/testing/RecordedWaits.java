package com.engarde.signupsync.testing;

import com.engarde.signupsync.http.RetryPolicy;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * With {@code test.waits=recorded}, the one retry policy does not sleep: each wait it would make (a Retry-After,
 * a backoff, pacing) is recorded here and moves {@link TestClock#INSTANCE} on by as much, so a test asserts
 * how long the service waited without waiting. The policy's other settings are the usual properties.
 */
@Factory
@Requires(property = "test.waits", value = "recorded")
public class RecordedWaits {

    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    /** The waits made so far, in order. */
    public List<Duration> waits() {
        return List.copyOf(waits);
    }

    @Singleton
    @Replaces(RetryPolicy.class)
    RetryPolicy retryPolicy(@Value("${signup.sync.http.attempts:6}") int attempts,
                            @Value("${signup.sync.http.base-delay:1s}") Duration baseDelay,
                            @Value("${signup.sync.http.max-delay:60s}") Duration maxDelay,
                            @Value("${signup.sync.http.max-retry-after:10m}") Duration maxRetryAfter) {
        return new RetryPolicy(attempts, baseDelay, maxDelay, maxRetryAfter, wait -> {
            waits.add(wait);
            TestClock.INSTANCE.advance(wait);
        });
    }
}
