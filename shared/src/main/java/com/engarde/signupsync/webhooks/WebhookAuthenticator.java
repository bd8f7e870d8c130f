package com.engarde.signupsync.webhooks;

import com.engarde.signupsync.crypto.Sha256;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a delivery's credentials against the configured secrets (two during a rotation), by whichever scheme
 * the sender used: a static secret header, an HMAC-SHA256 of the raw body in a signature header, or a
 * Standard Webhooks signature ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}; the
 * {@code svix-} names too). Signatures are computed over the body's bytes as received. Every comparison is
 * constant-time and runs against every secret, so timing tells nothing about which part matched.
 */
public final class WebhookAuthenticator {

    /** The Standard Webhooks reference libraries' tolerance, both ways. */
    public static final Duration TIMESTAMP_TOLERANCE = Duration.ofMinutes(5);

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int SHA256_BYTES = 32;

    private final List<WebhookSecret> secrets;
    private final String secretHeader;
    private final String signatureHeader;
    private final Clock clock;

    /**
     * @param secretHeader    the header a sender puts the static secret in (Posh: {@code Posh-Secret})
     * @param signatureHeader the header a sender puts an HMAC of the body in (e.g. {@code X-Posh-Signature})
     */
    public WebhookAuthenticator(List<WebhookSecret> secrets, String secretHeader, String signatureHeader, Clock clock) {
        this.secrets = List.copyOf(secrets);
        this.secretHeader = secretHeader;
        this.signatureHeader = signatureHeader;
        this.clock = clock;
    }

    public boolean configured() {
        return !secrets.isEmpty();
    }

    public Authentication authenticate(WebhookRequest request) {
        if (secrets.isEmpty()) {
            return new Authentication.Rejected(Rejection.NOT_CONFIGURED);
        }
        Rejection first = null;
        String id = header(request, "webhook-id", "svix-id");
        String timestamp = header(request, "webhook-timestamp", "svix-timestamp");
        String standardSignature = header(request, "webhook-signature", "svix-signature");
        if (id != null || timestamp != null || standardSignature != null) {
            Rejection rejection = standard(id, timestamp, standardSignature, request.body());
            if (rejection == null) {
                return new Authentication.Accepted(AuthScheme.STANDARD_WEBHOOKS);
            }
            first = rejection;
        }
        String signature = request.header(signatureHeader);
        if (signature != null) {
            if (anyMatches(signatures(signature), request.body())) {
                return new Authentication.Accepted(AuthScheme.SIGNATURE);
            }
            first = first == null ? Rejection.BAD_SIGNATURE : first;
        }
        String secret = request.header(secretHeader);
        if (secret != null) {
            boolean matches = false;
            for (WebhookSecret candidate : secrets) {
                matches |= candidate.matches(secret);
            }
            if (matches) {
                return new Authentication.Accepted(AuthScheme.SHARED_SECRET);
            }
            first = first == null ? Rejection.WRONG_SECRET : first;
        }
        return new Authentication.Rejected(first == null ? Rejection.MISSING_CREDENTIALS : first);
    }

    private Rejection standard(String id, String timestamp, String signatureHeaderValue, byte[] body) {
        if (id == null || timestamp == null || signatureHeaderValue == null) {
            return Rejection.BAD_SIGNATURE;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return Rejection.BAD_SIGNATURE;
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > TIMESTAMP_TOLERANCE.toSeconds()) {
            return Rejection.STALE_TIMESTAMP;
        }
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return anyMatches(signatures(signatureHeaderValue), signed) ? null : Rejection.BAD_SIGNATURE;
    }

    /**
     * The signatures in a header value: space-separated entries, each {@code v1,<sig>}, {@code sha256=<sig>}
     * or a bare signature, in hex or base64. Entries of other versions (e.g. {@code v1a} ed25519) are skipped.
     */
    static List<byte[]> signatures(String value) {
        List<byte[]> found = new ArrayList<>();
        for (String entry : value.strip().split("\\s+")) {
            String signature = entry;
            int comma = entry.indexOf(',');
            if (comma >= 0) {
                if (!entry.substring(0, comma).equals("v1")) {
                    continue;
                }
                signature = entry.substring(comma + 1);
            } else if (entry.regionMatches(true, 0, "sha256=", 0, 7)) {
                signature = entry.substring(7);
            }
            byte[] decoded = decode(signature);
            if (decoded != null && decoded.length == SHA256_BYTES) {
                found.add(decoded);
            }
        }
        return found;
    }

    private static byte[] decode(String signature) {
        if (HEX_SHA256.matcher(signature).matches()) {
            return HexFormat.of().parseHex(signature);
        }
        try {
            return Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(signature);
            } catch (IllegalArgumentException e2) {
                return null;
            }
        }
    }

    private boolean anyMatches(List<byte[]> presented, byte[] content) {
        boolean matches = false;
        for (WebhookSecret secret : secrets) {
            for (byte[] key : secret.signingKeys()) {
                byte[] expected = hmac(key, content);
                for (byte[] signature : presented) {
                    matches |= Sha256.same(expected, signature);
                }
            }
        }
        return matches;
    }

    /** HMAC-SHA256; public so tests, samples and benchmarks sign exactly as senders do. */
    public static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(WebhookRequest request, String name, String alias) {
        String value = request.header(name);
        return value != null ? value : request.header(alias);
    }
}
