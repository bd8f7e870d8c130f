package com.engarde.signupsync.functions.webhookposhvip;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.Style;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.testing.WebhookSigning;
import com.engarde.signupsync.webhooks.Rejection;
import com.engarde.signupsync.webhooks.WebhookRejections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.PATH;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.PREVIOUS_SECRET;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.SECRET;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.sample;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhook.signed;
import static org.assertj.core.api.Assertions.assertThat;

/** Only deliveries from the holder of a configured secret get in; refused ones leave nothing but a count. */
@ExpectsWarnings("Posh\\.VIP delivery refused: ")
class PoshWebhookAuthenticationTest {

    private static final byte[] ORDER = sample("new_order.json");
    @RegisterExtension
    static final LambdaFunction lambda = PoshWebhook.function();

    @ParameterizedTest
    @EnumSource(Style.class)
    void aWrongSecretOrSignatureIsRefusedAndNothingIsStored(Style style) {
        LambdaHarness.Response response = lambda.handle(signed(style, "not-the-configured-secret", ORDER));

        assertRefused(response, style == Style.POSH_SECRET ? "wrong_secret" : "bad_signature");
    }

    @ParameterizedTest
    @EnumSource(value = Style.class, names = {"BODY_SIGNATURE", "STANDARD_WEBHOOKS"})
    void aBodyAlteredAfterSigningIsRefused(Style style) {
        APIGatewayProxyRequestEvent event = signed(style, SECRET, ORDER);
        String tampered = new String(ORDER, StandardCharsets.UTF_8).replace("\"total\": 95.5", "\"total\": 0.5");
        assertThat(tampered).isNotEqualTo(new String(ORDER, StandardCharsets.UTF_8));
        event.setBody(Boolean.TRUE.equals(event.getIsBase64Encoded())
                ? java.util.Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)) : tampered);

        assertRefused(lambda.handle(event), "bad_signature");
    }

    /**
     * On the service's own clock, held still: with the real one, a second boundary passing between the test
     * computing {@code now} and the check made 301 seconds ahead look like 300 (a flaky failure).
     */
    @Test
    void aTimestampOlderOrNewerThanFiveMinutesIsRefusedEvenWhenCorrectlySigned() {
        Instant clock = Instant.parse("2026-06-15T12:00:00.999Z");
        TestClock.INSTANCE.set(clock);
        try (LambdaHarness held = new LambdaHarness(Map.of("poshvip.webhook.secret", SECRET, "test.clock", "mutable"))) {
            long now = clock.getEpochSecond();
            assertRefused(held, held.handle(WebhookSigning.withStandard(WebhookSigning.post(PATH, ORDER, false), SECRET,
                    "msg_old", now - 301, ORDER)), "stale_timestamp");
            assertRefused(held, held.handle(WebhookSigning.withStandard(WebhookSigning.post(PATH, ORDER, false), SECRET,
                    "msg_future", now + 301, ORDER)), "stale_timestamp");
            assertThat(refusals(held, Rejection.STALE_TIMESTAMP)).isEqualTo(2);

            for (long edge : new long[]{now - 300, now + 300}) {
                LambdaHarness.Response withinTolerance = held.handle(WebhookSigning.withStandard(
                        WebhookSigning.post(PATH, ORDER, false), SECRET, "msg_edge" + edge, edge, ORDER));
                assertThat(withinTolerance.status()).as(withinTolerance.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void aSignatureOverADifferentIdIsRefused() {
        APIGatewayProxyRequestEvent event = WebhookSigning.withStandard(WebhookSigning.post(PATH, ORDER, false),
                SECRET, "msg_signed", Instant.now().getEpochSecond(), ORDER);
        event.getHeaders().put("webhook-id", "msg_swapped");

        assertRefused(lambda.handle(event), "bad_signature");
    }

    @Test
    void aDeliveryWithoutCredentialsIsRefusedWithWhatToSend() {
        LambdaHarness.Response response = lambda.handle(WebhookSigning.post(PATH, ORDER, false));

        assertRefused(response, "missing_credentials");
        assertThat(response.json().path("message").asText()).contains("Posh-Secret");
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void duringARotationBothSecretsAreAccepted(Style style) {
        assertThat(lambda.handle(signed(style, SECRET, ORDER)).status()).isEqualTo(200);
        TestDatabase.get().truncate();
        assertThat(lambda.handle(signed(style, PREVIOUS_SECRET, ORDER)).status()).isEqualTo(200);
        assertThat(PoshWebhook.events()).hasSize(1);
    }

    @Test
    void aStandardWebhooksSecretSignsWithItsDecodedBytes() {
        // The Standard Webhooks libraries' public test secret.
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        try (LambdaHarness whsec = new LambdaHarness(Map.of("poshvip.webhook.secret", secret))) {
            long now = Instant.now().getEpochSecond();
            LambdaHarness.Response accepted = whsec.handle(WebhookSigning.withStandard(
                    WebhookSigning.post(PATH, ORDER, true), secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", now, ORDER));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);

            // Signed with the text of the secret instead of its bytes: a different key, refused.
            APIGatewayProxyRequestEvent textKey = WebhookSigning.post(PATH, ORDER, true);
            textKey.getHeaders().put("webhook-id", "msg_text_key");
            textKey.getHeaders().put("webhook-timestamp", Long.toString(now));
            textKey.getHeaders().put("webhook-signature", WebhookSigning.standardSignature("not-whsec-" + secret,
                    "msg_text_key", now, ORDER));
            assertThat(whsec.handle(textKey).status()).isEqualTo(401);
        }
    }

    @Test
    void withoutAConfiguredSecretEveryDeliveryIsRefused() {
        try (LambdaHarness unconfigured = new LambdaHarness(Map.of())) {
            LambdaHarness.Response response = unconfigured.handle(signed(Style.POSH_SECRET, SECRET, ORDER));
            assertThat(response.status()).isEqualTo(401);
            LambdaHarness.Response guessed = unconfigured.handle(signed(Style.BODY_SIGNATURE, SECRET, ORDER));
            assertThat(guessed.status()).isEqualTo(401);
            assertThat(Rows.number("SELECT count(*) FROM webhook_deliveries")).isZero();
            assertThat(refusals(unconfigured, Rejection.NOT_CONFIGURED)).isEqualTo(2);
        }
    }

    @Test
    void aRefusalIsCountedAsAMetricWithoutTheBodyOrTheCredentialAndWritesNothing() {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try (LambdaHarness metered = new LambdaHarness(Map.of("poshvip.webhook.secret", SECRET,
                "signup.sync.metrics.namespace", "SignupSyncTest"))) {
            System.setOut(new java.io.PrintStream(captured, true));
            metered.handle(signed(Style.POSH_SECRET, "guess-1", ORDER));
            metered.handle(signed(Style.POSH_SECRET, "guess-2", ORDER));
            assertThat(refusals(metered, Rejection.WRONG_SECRET)).isEqualTo(2);
        } finally {
            System.setOut(out);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"WebhookRefused\"")).toList();
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"Reason\":\"wrong_secret\"")
                .contains("\"SourceType\":\"poshvip\"").doesNotContain("guess").doesNotContain("jane@example.com"));
        assertThat(Rows.number("SELECT count(*) FROM webhook_deliveries")).as("a refusal writes nothing").isZero();
    }

    @Test
    void noSecretOrSignatureEverReachesTheLogs() {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream capture = new java.io.PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        APIGatewayProxyRequestEvent wrongSignature = signed(Style.BODY_SIGNATURE, "guessed-secret", ORDER);
        try {
            lambda.handle(signed(Style.POSH_SECRET, "guessed-secret", ORDER));
            lambda.handle(wrongSignature);
            lambda.handle(signed(Style.STANDARD_WEBHOOKS, SECRET, ORDER));
            lambda.handle(signed(Style.POSH_SECRET, PREVIOUS_SECRET, "{not json".getBytes(StandardCharsets.UTF_8)));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("refused")
                .doesNotContain(SECRET).doesNotContain(PREVIOUS_SECRET).doesNotContain("guessed-secret")
                .doesNotContain(wrongSignature.getHeaders().get("X-Posh-Signature"));
    }

    private static long refusals(LambdaHarness harness, Rejection reason) {
        return harness.context().getBean(WebhookRejections.class).counted("poshvip", reason);
    }

    private static void assertRefused(LambdaHarness.Response response, String reason) {
        assertRefused(lambda.harness(), response, reason);
    }

    private static void assertRefused(LambdaHarness harness, LambdaHarness.Response response, String reason) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(Rows.number("SELECT count(*) FROM webhook_deliveries")).isZero();
        assertThat(Rows.number("SELECT count(*) FROM funnel_events")).isZero();
        assertThat(Rows.number("SELECT count(*) FROM leads")).isZero();
        assertThat(refusals(harness, Rejection.valueOf(reason.toUpperCase(java.util.Locale.ROOT)))).isPositive();
        assertThat(Arrays.asList(SECRET, PREVIOUS_SECRET)).noneMatch(response.body()::contains);
    }
}
