package com.engarde.signupsync.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Retry-After as vendors send it. */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-10-21T07:27:00Z");

    @Test
    void delaySeconds() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void httpDate() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:28:00 GMT", NOW)).contains(Duration.ofSeconds(60));
    }

    @Test
    void isoTimestamp() {
        assertThat(RetryAfter.parse("2026-10-21T07:27:30Z", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("2026-10-21T09:27:45+02:00", NOW)).contains(Duration.ofSeconds(45));
    }

    @Test
    void aTimeInThePastMeansNow() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void absentOrUnreadableIsEmpty() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    }
}
