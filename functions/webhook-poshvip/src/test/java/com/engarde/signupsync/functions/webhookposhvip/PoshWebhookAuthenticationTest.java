package com.engarde.signupsync.functions.webhookposhvip;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhookFixture.Style;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.WebhookSigning;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhookFixture.PATH;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhookFixture.PREVIOUS_SECRET;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhookFixture.SECRET;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhookFixture.sample;
import static com.engarde.signupsync.functions.webhookposhvip.PoshWebhookFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

/** Only deliveries from the holder of a configured secret get in; refused ones leave nothing but a count. */
class PoshWebhookAuthenticationTest {

    private static final byte[] ORDER = sample("new_order.json");
    private static PoshWebhookFixture posh;

    @BeforeAll
    static void start() {
        posh = new PoshWebhookFixture();
    }

    @AfterAll
    static void stop() {
        posh.close();
    }

    @BeforeEach
    void empty() {
        posh.truncate();
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void aWrongSecretOrSignatureIsRefusedAndNothingIsStored(Style style) {
        LambdaHarness.Response response = posh.send(signed(style, "not-the-configured-secret", ORDER));

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

        assertRefused(posh.send(event), "bad_signature");
    }

    @Test
    void aTimestampOlderOrNewerThanFiveMinutesIsRefusedEvenWhenCorrectlySigned() {
        long now = Instant.now().getEpochSecond();
        assertRefused(posh.send(WebhookSigning.withStandard(WebhookSigning.post(PATH, ORDER, false), SECRET,
                "msg_old", now - 301, ORDER)), "stale_timestamp");
        assertRefused(posh.send(WebhookSigning.withStandard(WebhookSigning.post(PATH, ORDER, false), SECRET,
                "msg_future", now + 301, ORDER)), "stale_timestamp");
        assertThat(posh.count("SELECT count FROM webhook_rejections WHERE reason = 'stale_timestamp'")).isEqualTo(2);

        LambdaHarness.Response withinTolerance = posh.send(WebhookSigning.withStandard(
                WebhookSigning.post(PATH, ORDER, false), SECRET, "msg_recent", now - 240, ORDER));
        assertThat(withinTolerance.status()).isEqualTo(200);
    }

    @Test
    void aSignatureOverADifferentIdIsRefused() {
        APIGatewayProxyRequestEvent event = WebhookSigning.withStandard(WebhookSigning.post(PATH, ORDER, false),
                SECRET, "msg_signed", Instant.now().getEpochSecond(), ORDER);
        event.getHeaders().put("webhook-id", "msg_swapped");

        assertRefused(posh.send(event), "bad_signature");
    }

    @Test
    void aDeliveryWithoutCredentialsIsRefusedWithWhatToSend() {
        LambdaHarness.Response response = posh.send(WebhookSigning.post(PATH, ORDER, false));

        assertRefused(response, "missing_credentials");
        assertThat(response.json().path("message").asText()).contains("Posh-Secret");
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void duringARotationBothSecretsAreAccepted(Style style) {
        assertThat(posh.send(signed(style, SECRET, ORDER)).status()).isEqualTo(200);
        posh.truncate();
        assertThat(posh.send(signed(style, PREVIOUS_SECRET, ORDER)).status()).isEqualTo(200);
        assertThat(posh.events()).hasSize(1);
    }

    @Test
    void aStandardWebhooksSecretSignsWithItsDecodedBytes() {
        // The Standard Webhooks libraries' public test secret.
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        try (PoshWebhookFixture whsec = new PoshWebhookFixture(Map.of("poshvip.webhook.secret", secret))) {
            long now = Instant.now().getEpochSecond();
            LambdaHarness.Response accepted = whsec.send(WebhookSigning.withStandard(
                    WebhookSigning.post(PATH, ORDER, true), secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", now, ORDER));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);

            // Signed with the text of the secret instead of its bytes: a different key, refused.
            APIGatewayProxyRequestEvent textKey = WebhookSigning.post(PATH, ORDER, true);
            textKey.getHeaders().put("webhook-id", "msg_text_key");
            textKey.getHeaders().put("webhook-timestamp", Long.toString(now));
            textKey.getHeaders().put("webhook-signature", WebhookSigning.standardSignature("not-whsec-" + secret,
                    "msg_text_key", now, ORDER));
            assertThat(whsec.send(textKey).status()).isEqualTo(401);
        }
    }

    @Test
    void withoutAConfiguredSecretEveryDeliveryIsRefused() {
        try (PoshWebhookFixture unconfigured = new PoshWebhookFixture(Map.of())) {
            LambdaHarness.Response response = unconfigured.send(signed(Style.POSH_SECRET, SECRET, ORDER));
            assertThat(response.status()).isEqualTo(401);
            LambdaHarness.Response guessed = unconfigured.send(signed(Style.BODY_SIGNATURE, SECRET, ORDER));
            assertThat(guessed.status()).isEqualTo(401);
            assertThat(unconfigured.count("SELECT count(*) FROM webhook_deliveries")).isZero();
            assertThat(unconfigured.count("SELECT count FROM webhook_rejections WHERE reason = 'not_configured'"))
                    .isEqualTo(2);
        }
    }

    @Test
    void aRefusalIsCountedWithoutTheBodyOrTheCredential() {
        posh.send(signed(Style.POSH_SECRET, "guess-1", ORDER));
        posh.send(signed(Style.POSH_SECRET, "guess-2", ORDER));

        assertThat(posh.count("SELECT count FROM webhook_rejections WHERE reason = 'wrong_secret'")).isEqualTo(2);
        String table = String.join("|", PoshWebhookFixture.query("SELECT r::text FROM webhook_rejections r",
                rs -> rs.getString(1)));
        assertThat(table).doesNotContain("guess").doesNotContain("jane@example.com");
    }

    private static void assertRefused(LambdaHarness.Response response, String reason) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(posh.count("SELECT count(*) FROM webhook_deliveries")).isZero();
        assertThat(posh.count("SELECT count(*) FROM funnel_events")).isZero();
        assertThat(posh.count("SELECT count(*) FROM leads")).isZero();
        assertThat(posh.count("SELECT coalesce(sum(count), 0) FROM webhook_rejections WHERE reason = '" + reason + "'"))
                .isPositive();
        assertThat(Arrays.asList(SECRET, PREVIOUS_SECRET)).noneMatch(response.body()::contains);
    }
}
