package com.engarde.signupsync.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What a line the functions print may be, and what it may not hold. */
public final class LogLines {

    /** The fields every log line carries (Powertools for AWS Lambda's names; null values outside an invocation). */
    public static final List<String> FIELDS = List.of("timestamp", "level", "message", "service", "function_name",
            "cold_start", "function_request_id", "correlation_id", "logger");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EMAIL = Pattern.compile("[\\p{L}\\p{N}._%+'-]+(@|%40)[\\p{L}\\p{N}-]+(\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}");
    private static final Pattern PHONE = Pattern.compile(
            "\\+\\d[\\d ().-]{5,18}\\d|\\(?\\b\\d{3}\\)?[ .-]?\\d{3}[ .-]\\d{4}\\b|5555550\\d{3}|7700900\\d{3}");
    /** The secrets the tests configure (or their distinctive parts), and any JWT. */
    private static final Pattern SECRET = Pattern.compile("not-a-secret|plaintext-(key|token|secret)|xkeysib-|whsec_"
            + "|private-token|zoom-access-token|sealer-test-value|throwaway-admin-jwt|acme_live_|local-test-token"
            + "|q1w2e3r4t5y6u7i8o9p0|AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
            + "|eyJ[\\w-]{4,}\\.[\\w-]{4,}\\.");

    private LogLines() {
    }

    /** Why the line may not be printed, if it may not. */
    public static Optional<String> problem(String line) {
        JsonNode json;
        try {
            json = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return Optional.of("not JSON");
        }
        if (json == null || !json.isObject()) {
            return Optional.of("not a JSON object");
        }
        if (json.has("_aws")) {
            List<String> wrong = EmbeddedMetricFormat.problems(json);
            if (!wrong.isEmpty()) {
                return Optional.of("invalid embedded metric line (" + String.join("; ", wrong) + ")");
            }
        } else {
            List<String> missing = FIELDS.stream().filter(f -> !json.has(f)).toList();
            if (!missing.isEmpty()) {
                return Optional.of("a log line without " + missing);
            }
            if (!"signup-sync".equals(json.path("service").asText())) {
                return Optional.of("service is not signup-sync");
            }
        }
        if (EMAIL.matcher(line).find()) {
            return Optional.of("an email address");
        }
        if (PHONE.matcher(line).find()) {
            return Optional.of("a phone number");
        }
        if (SECRET.matcher(line).find()) {
            return Optional.of("a secret");
        }
        return Optional.empty();
    }

    /** The line as a failure may show it: what it must not hold is blacked out. */
    public static String shown(String line) {
        String shown = EMAIL.matcher(line).replaceAll("<EMAIL HERE>");
        shown = PHONE.matcher(shown).replaceAll("<PHONE HERE>");
        shown = SECRET.matcher(shown).replaceAll("<SECRET HERE>");
        return shown.length() > 400 ? shown.substring(0, 400) + "…" : shown;
    }
}
