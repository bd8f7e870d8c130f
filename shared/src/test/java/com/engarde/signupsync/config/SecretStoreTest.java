package com.engarde.signupsync.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretStoreTest {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:signup-sync/dev/brevo-AbCdEf";

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-11-01T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private StubSecretsManager stub;
    private HandClock clock;
    private SecretStore store;

    @BeforeEach
    void start() throws IOException {
        stub = new StubSecretsManager();
        clock = new HandClock();
        store = new SecretStore(clock, Duration.ofMinutes(5), stub.endpoint());
    }

    @AfterEach
    void stop() {
        store.close();
        stub.close();
    }

    @Test
    void aSecretIsReadOnceWithinItsTtlAndAgainAfterIt() {
        stub.put(ARN, "first");
        assertThat(store.secretString(ARN)).isEqualTo("first");
        stub.put(ARN, "rotated");
        clock.advance(Duration.ofMinutes(4));
        assertThat(store.secretString(ARN)).isEqualTo("first");
        assertThat(stub.reads()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        assertThat(store.secretString(ARN)).isEqualTo("rotated");
        assertThat(stub.reads()).isEqualTo(2);
    }

    @Test
    void invalidatingReadsTheSecretAgainAtOnce() {
        stub.put(ARN, "first");
        store.secretString(ARN);
        stub.put(ARN, "rotated");
        store.invalidate(ARN);
        assertThat(store.secretString(ARN)).isEqualTo("rotated");
    }

    @Test
    void forgettingAllEmptiesTheCacheSoNoValueIsInASnapshot() {
        stub.put(ARN, "first");
        store.secretString(ARN);
        assertThat(store.cached()).isEqualTo(1);
        store.forgetAll();
        assertThat(store.cached()).isZero();
        stub.put(ARN, "after-restore");
        assertThat(store.secretString(ARN)).isEqualTo("after-restore");
        assertThat(stub.reads()).isEqualTo(2);
    }

    @Test
    void aMissingSecretFailsNamingTheSecretOnly() {
        assertThatThrownBy(() -> store.secretString(ARN))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ARN)
                .hasMessageContaining("ResourceNotFoundException");
    }
}
