package com.engarde.signupsync.functions.webhookposhvip;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.credentials.SealedCredentials;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.Style;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.sample;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.signed;
import static org.assertj.core.api.Assertions.assertThat;

/** A webhook secret an admin stored (sealed) is the one deliveries are checked against, before the environment's. */
@ExpectsWarnings("Posh\\.VIP delivery refused: ")
class PoshStoredSecretTest {

    private static final byte[] ORDER = sample("new_order.json");
    private static final String STORED = "test-stored-posh-secret-not-a-secret";
    private static final String NEXT = "test-next-posh-secret-not-a-secret-either";
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @BeforeEach
    void empty() {
        TestDatabase.get().truncate();
    }

    @Test
    void aPreviousStoredSecretIsAcceptedOnlyWithinTheRotationWindow() throws Exception {
        TestClock.INSTANCE.set(Instant.parse("2026-06-15T12:00:00Z"));
        try (LambdaHarness lambda = new LambdaHarness(Map.of("signup.sync.encryption.key", KEY, "test.clock", "mutable"))) {
            SealedCredentials sealed = lambda.context().getBean(SealedCredentials.class);
            try (Connection c = TestDatabase.get().dataSource().getConnection()) {
                sealed.store(c, "poshvip", Map.of("webhook_secret", NEXT, "previous_webhook_secret", STORED), "test");
            }
            assertThat(lambda.handle(signed(Style.POSH_SECRET, STORED, ORDER)).status()).isEqualTo(200);
            TestClock.INSTANCE.advance(Duration.ofHours(23));
            assertThat(lambda.handle(signed(Style.POSH_SECRET, STORED, sample("order_updated-refunded.json"))).status())
                    .as("within the rotation window").isEqualTo(200);

            TestClock.INSTANCE.advance(Duration.ofHours(1));
            LambdaHarness.Response expired = lambda.handle(signed(Style.POSH_SECRET, STORED, sample("order_updated-cancelled.json")));
            assertThat(expired.status()).as("after the rotation window: " + expired.body()).isEqualTo(401);
            assertThat(lambda.handle(signed(Style.POSH_SECRET, NEXT, sample("order_updated-cancelled.json"))).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aStoredSecretIsAcceptedAndTakesPrecedenceOverTheEnvironment() throws Exception {
        try (LambdaHarness lambda = new LambdaHarness(Map.of("poshvip.webhook.secret", PoshWebhook.SECRET,
                "signup.sync.encryption.key", KEY))) {
            assertThat(lambda.handle(signed(Style.POSH_SECRET, PoshWebhook.SECRET, ORDER)).status()).isEqualTo(200);

            SealedCredentials sealed = lambda.context().getBean(SealedCredentials.class);
            try (Connection c = TestDatabase.get().dataSource().getConnection()) {
                sealed.store(c, "poshvip", Map.of("webhook_secret", STORED), "test");
            }

            LambdaHarness.Response stored = lambda.handle(signed(Style.POSH_SECRET, STORED, sample("order_updated-refunded.json")));
            assertThat(stored.status()).as(stored.body()).isEqualTo(200);
            LambdaHarness.Response environment = lambda.handle(signed(Style.POSH_SECRET, PoshWebhook.SECRET,
                    sample("order_updated-refunded.json")));
            assertThat(environment.status()).as("the stored secret replaces the environment's").isEqualTo(401);
            assertThat(Rows.number("SELECT count(*) FROM webhook_deliveries")).isEqualTo(2);
        }
    }
}
