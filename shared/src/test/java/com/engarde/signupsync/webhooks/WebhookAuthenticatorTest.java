package com.engarde.signupsync.webhooks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookAuthenticatorTest {

    // The Standard Webhooks reference libraries' test vector (standard-webhooks-example-request.json).
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    private static WebhookAuthenticator at(long epochSecond, String... secrets) {
        return new WebhookAuthenticator(
                java.util.Arrays.stream(secrets).flatMap(s -> WebhookSecret.of(s).stream()).toList(),
                "Posh-Secret", "X-Posh-Signature", Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    private static WebhookRequest standard(String signature, long timestamp, byte[] body) {
        return new WebhookRequest(body, Map.of("Webhook-Id", ID, "Webhook-Timestamp", Long.toString(timestamp),
                "Webhook-Signature", signature));
    }

    private static Authentication accepted(AuthScheme scheme) {
        return new Authentication.Accepted(scheme);
    }

    private static Authentication rejected(Rejection reason) {
        return new Authentication.Rejected(reason);
    }

    @Test
    void theReferenceTestVectorVerifies() {
        assertThat(at(TIMESTAMP, SECRET).authenticate(standard(SIGNATURE, TIMESTAMP, BODY)))
                .isEqualTo(accepted(AuthScheme.STANDARD_WEBHOOKS));
    }

    @Test
    void anyMatchingEntryOfASpaceSeparatedListVerifiesAndOtherVersionsAreSkipped() {
        String list = "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== "
                + "v1,bm90IHRoZSBzaWduYXR1cmUgYXQgYWxsIDMyIGJ5dGVz " + SIGNATURE;
        assertThat(at(TIMESTAMP, SECRET).authenticate(standard(list, TIMESTAMP, BODY)))
                .isEqualTo(accepted(AuthScheme.STANDARD_WEBHOOKS));
    }

    @Test
    void theToleranceIsFiveMinutesEitherWay() {
        assertThat(at(TIMESTAMP + 300, SECRET).authenticate(standard(SIGNATURE, TIMESTAMP, BODY)))
                .isEqualTo(accepted(AuthScheme.STANDARD_WEBHOOKS));
        assertThat(at(TIMESTAMP + 301, SECRET).authenticate(standard(SIGNATURE, TIMESTAMP, BODY)))
                .isEqualTo(rejected(Rejection.STALE_TIMESTAMP));
        assertThat(at(TIMESTAMP - 301, SECRET).authenticate(standard(SIGNATURE, TIMESTAMP, BODY)))
                .isEqualTo(rejected(Rejection.STALE_TIMESTAMP));
    }

    @Test
    void oneChangedByteOfTheBodyFailsTheSignature() {
        byte[] altered = BODY.clone();
        altered[10]++;
        assertThat(at(TIMESTAMP, SECRET).authenticate(standard(SIGNATURE, TIMESTAMP, altered)))
                .isEqualTo(rejected(Rejection.BAD_SIGNATURE));
    }

    @Test
    void incompleteStandardHeadersAreABadSignature() {
        WebhookRequest noId = new WebhookRequest(BODY, Map.of("webhook-timestamp", Long.toString(TIMESTAMP),
                "webhook-signature", SIGNATURE));
        assertThat(at(TIMESTAMP, SECRET).authenticate(noId)).isEqualTo(rejected(Rejection.BAD_SIGNATURE));
    }

    @Test
    void theSvixHeaderNamesAreReadToo() {
        WebhookRequest svix = new WebhookRequest(BODY, Map.of("svix-id", ID, "svix-timestamp", Long.toString(TIMESTAMP),
                "svix-signature", SIGNATURE));
        assertThat(at(TIMESTAMP, SECRET).authenticate(svix)).isEqualTo(accepted(AuthScheme.STANDARD_WEBHOOKS));
    }

    @Test
    void aBodySignatureIsAcceptedInHexOrBase64WithOrWithoutAPrefix() {
        String secret = "plain-test-secret";
        byte[] mac = WebhookAuthenticator.hmac(secret.getBytes(StandardCharsets.UTF_8), BODY);
        WebhookAuthenticator authenticator = at(TIMESTAMP, secret);
        for (String header : List.of(HexFormat.of().formatHex(mac), "sha256=" + HexFormat.of().formatHex(mac),
                java.util.Base64.getEncoder().encodeToString(mac), "v1," + java.util.Base64.getEncoder().encodeToString(mac))) {
            assertThat(authenticator.authenticate(new WebhookRequest(BODY, Map.of("x-posh-signature", header))))
                    .as(header).isEqualTo(accepted(AuthScheme.SIGNATURE));
        }
    }

    @Test
    void theStaticSecretMustMatchWhole() {
        WebhookAuthenticator authenticator = at(TIMESTAMP, "current-secret", "previous-secret");
        assertThat(authenticator.authenticate(new WebhookRequest(BODY, Map.of("posh-secret", "current-secret"))))
                .isEqualTo(accepted(AuthScheme.SHARED_SECRET));
        assertThat(authenticator.authenticate(new WebhookRequest(BODY, Map.of("posh-secret", "previous-secret"))))
                .isEqualTo(accepted(AuthScheme.SHARED_SECRET));
        assertThat(authenticator.authenticate(new WebhookRequest(BODY, Map.of("posh-secret", "current-secre"))))
                .isEqualTo(rejected(Rejection.WRONG_SECRET));
        assertThat(authenticator.authenticate(new WebhookRequest(BODY, Map.of("posh-secret", "current-secret-"))))
                .isEqualTo(rejected(Rejection.WRONG_SECRET));
    }

    @Test
    void nothingIsAcceptedWithoutASecretConfigured() {
        WebhookAuthenticator none = at(TIMESTAMP, "", "  ");
        assertThat(none.configured()).isFalse();
        assertThat(none.authenticate(new WebhookRequest(BODY, Map.of("posh-secret", ""))))
                .isEqualTo(rejected(Rejection.NOT_CONFIGURED));
    }

    @Test
    void aSecretNeverShowsInItsTextForm() {
        assertThat(WebhookSecret.of(SECRET).orElseThrow().toString()).doesNotContain("MfKQ");
    }
}
