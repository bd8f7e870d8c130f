package com.engarde.signupsync.functions.funnelevents;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The one input rule set, each rule pinned by the hostile request that once answered 500 or stored something
 * other than what was sent. Every refusal is a 400 naming the field, and leaves the stored lead untouched.
 */
class FunnelInputRulesTest {

    private static LambdaHarness lambda;

    @BeforeAll
    static void start() {
        lambda = new LambdaHarness();
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    @BeforeEach
    void storeOneGoodEvent() {
        TestDatabase.get().truncate();
        assertThat(post("/funnel/event", event("kept@example.com", "")).status()).isEqualTo(201);
    }

    private static String event(String email, String extra) {
        return "{\"source_type\":\"manual\",\"event_type\":\"lead_captured\",\"email\":\"" + email + "\","
                + "\"external_id\":\"e-1\",\"occurred_at\":\"2026-03-01T10:00:00Z\"" + extra + "}";
    }

    private static Response post(String path, String body) {
        return lambda.handle(LambdaHarness.request("POST", path, body));
    }

    private static Response postBytes(String path, byte[] body) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request("POST", path, "");
        request.setBody(Base64.getEncoder().encodeToString(body));
        request.setIsBase64Encoded(true);
        return lambda.handle(request);
    }

    private static void assertRefused(Response r, String field, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode error = r.json();
        assertThat(error.path("error").asText()).isEqualTo("invalid_request");
        assertThat(error.path("message").asText()).contains(message).doesNotContain("com.fasterxml")
                .doesNotContain("Constraints").doesNotContain("Exception");
        if (field != null) {
            assertThat(error.path("field").asText()).isEqualTo(field);
        }
        assertThat(Rows.count("funnel_events")).isEqualTo(1);
        assertThat(Rows.count("leads")).isEqualTo(1);
        assertThat(Rows.count("funnel_conversions")).isZero();
    }

    static Stream<Arguments> nulInAStoredString() {
        String nul = "\\u0000";
        return Stream.of(
                arguments("/funnel/event", event("x" + nul + "@example.com", ""), "email"),
                arguments("/funnel/event", event("x@example.com", ",\"first_name\":\"a" + nul + "\""), "first_name"),
                arguments("/funnel/event", event("x@example.com", ",\"last_name\":\"a" + nul + "\""), "last_name"),
                arguments("/funnel/event", event("x@example.com", ",\"phone\":\"1" + nul + "\""), "phone"),
                arguments("/funnel/event", event("x@example.com", ",\"utm_source\":\"a" + nul + "\""), "utm_source"),
                arguments("/funnel/event", event("x@example.com", "").replace("\"e-1\"", "\"e" + nul + "\""), "external_id"),
                arguments("/funnel/event", event("x@example.com", ",\"event_data\":{\"k\":\"v" + nul + "\"}"), "event_data"),
                arguments("/funnel/event", event("x@example.com", ",\"event_data\":{\"k" + nul + "\":1}"), "event_data"),
                arguments("/funnel/conversion", "{\"email\":\"x@example.com\",\"platform_user_id\":\"u" + nul + "\"}",
                        "platform_user_id"),
                arguments("/funnel/conversion", "{\"email\":\"x@example.com\",\"platform_user_id\":\"u\",\"tenant_id\":\"t"
                        + nul + "\"}", "tenant_id"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("nulInAStoredString")
    void aNulInAnyStoredStringIsRefusedNamingTheField(String path, String body, String field) {
        assertRefused(post(path, body), field, "control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z"})
    void aTimeBefore1970OrThatPostgresCannotStoreIsRefused(String time) {
        assertRefused(post("/funnel/event", event("x@example.com", "").replace("2026-03-01T10:00:00Z", time)),
                "occurred_at", "1970");
        assertRefused(post("/funnel/conversion", "{\"email\":\"x@example.com\",\"platform_user_id\":\"u\","
                + "\"converted_at\":\"" + time + "\"}"), "converted_at", "1970");
    }

    @ParameterizedTest
    @ValueSource(strings = {"external_id", "platform_user_id", "tenant_id"})
    void anIntegerIdentifierIsHeldToTheSameLengthAsAString(String field) {
        String huge = "9".repeat(300);
        String body = field.equals("external_id")
                ? event("x@example.com", "").replace("\"e-1\"", huge)
                : "{\"email\":\"x@example.com\",\"platform_user_id\":\"u\",\"" + field + "\":" + huge + "}";
        if (field.equals("platform_user_id")) {
            body = "{\"email\":\"x@example.com\",\"platform_user_id\":" + huge + "}";
        }
        assertRefused(post(field.equals("external_id") ? "/funnel/event" : "/funnel/conversion", body), field,
                "at most 255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"18446744073709551622", "9223372036854775808", "\"18446744073709551622\"", "\"\u0661\"",
            "1.5", "-3", "0"})
    void aLeadIdOutOfRangeIsRefusedNotWrapped(String leadId) {
        Response r = post("/funnel/conversion", "{\"lead_id\":" + leadId + ",\"platform_user_id\":\"u-1\"}");
        assertRefused(r, "lead_id", "positive integer");
    }

    @Test
    void javaAndPostgresAgreeOnTheNormalFormOfAnEmail() {
        // U+2C2F folds to U+2C5F by the case-folding table Java ships, whatever the JDK; PostgreSQL collations
        // disagree on it, and no database check re-derives the form (V22).
        Response r = post("/funnel/event", event("\u2c2f@example.com", "").replace("e-1", "e-2"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/event/email").asText()).isEqualTo("\u2c5f@example.com");
        Response upper = post("/funnel/event", event("Kept@Example.COM", "").replace("e-1", "e-3"));
        assertThat(upper.json().at("/event/lead_id").asLong()).isEqualTo(Rows.number(
                "SELECT id FROM leads WHERE email = 'kept@example.com'"));
    }

    @Test
    void oneItemPostgresWouldRefuseFailsAloneInABatch() {
        Response r = post("/funnel/events", "{\"events\":["
                + event("one@example.com", "").replace("e-1", "b-1") + ","
                + event("two@example.com", ",\"first_name\":\"a\\u0000\"").replace("e-1", "b-2") + ","
                + event("three@example.com", "").replace("e-1", "b-3").replace("2026-03-01T10:00:00Z", "0000-01-01T00:00:00Z") + ","
                + event("\u2c2f@example.com", "").replace("e-1", "b-4") + "]}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("created").asInt()).isEqualTo(2);
        assertThat(r.json().path("errors").asInt()).isEqualTo(2);
        assertThat(r.json().at("/results/1/field").asText()).isEqualTo("first_name");
        assertThat(r.json().at("/results/2/field").asText()).isEqualTo("occurred_at");
        assertThat(Rows.count("funnel_events")).isEqualTo(3);
    }

    static Stream<Arguments> parserProblems() {
        return Stream.of(
                arguments("trailing data", event("x@example.com", "") + " {}", "after the JSON value"),
                arguments("deep nesting", event("x@example.com", ",\"event_data\":{\"a\":" + "[".repeat(1200)
                        + "]".repeat(1200) + "}"), "nested"),
                arguments("huge number", event("x@example.com", ",\"event_data\":{\"n\":" + "9".repeat(1200) + "}"),
                        "number"),
                arguments("duplicate key", "{\"source_type\":\"bogus\",\"event_type\":\"lead_captured\","
                        + "\"email\":\"x@example.com\",\"source_type\":\"manual\"}", "duplicate key \"source_type\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parserProblems")
    void parserProblemsAreToldWithoutInternalNames(String what, String body, String message) {
        assertRefused(post("/funnel/event", body), null, message);
    }

    @Test
    void invalidUtf8IsRefusedNotRepaired() {
        ByteArrayOutputStream overlong = new ByteArrayOutputStream();
        overlong.writeBytes(event("x@example.com", ",\"first_name\":\"a").getBytes(StandardCharsets.UTF_8));
        // The overlong two-byte encoding of '/', which a lenient decoder turns into "a/b".
        overlong.writeBytes(new byte[]{(byte) 0xC0, (byte) 0xAF});
        overlong.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(postBytes("/funnel/event", overlong.toByteArray()), null, "UTF-8");

        assertRefused(post("/funnel/event", event("x@example.com", ",\"first_name\":\"a\\ud800b\"")), "first_name",
                "surrogate");
        assertRefused(post("/funnel/event", event("x@example.com", ",\"event_data\":{\"k\":\"\\udc00\"}")), "event_data",
                "surrogate");
    }

    @Test
    void oneSpellingOfAPersonIsOneLead() {
        String nfc = "ad\u00e9le@example.com";
        String nfd = "ade\u0301le@example.com";
        long a = post("/funnel/event", event(nfc, "").replace("e-1", "p-1")).json().at("/event/lead_id").asLong();
        long b = post("/funnel/event", event(nfd, "").replace("e-1", "p-2")).json().at("/event/lead_id").asLong();
        long c = post("/funnel/event", event("\u00a0" + nfc + "\u00a0", "").replace("e-1", "p-3"))
                .json().at("/event/lead_id").asLong();
        assertThat(a).isPositive().isEqualTo(b).isEqualTo(c);
        assertThat(Rows.count("leads")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\u200b@example.com", "x\u202e@example.com", "x\u2066@example.com", "x\ufeff@example.com"})
    void invisibleAndBidiCharactersAreRefusedInEmails(String email) {
        assertRefused(post("/funnel/event", event(email, "")), "email", "email");
    }

    @Test
    void bidiOverridesAreRefusedInNames() {
        assertRefused(post("/funnel/event", event("x@example.com", ",\"first_name\":\"a\u202eb\"")), "first_name",
                "control character");
    }

    @Test
    void aDuplicateEventLeavesItsLeadAlone() {
        long before = Rows.number("SELECT count(*) FROM leads WHERE first_name IS NULL");
        Response replay = post("/funnel/event", event("kept@example.com", ",\"first_name\":\"Mallory\",\"phone\":\"555\""));

        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.json().path("created").asBoolean()).isFalse();
        assertThat(Rows.number("SELECT count(*) FROM leads WHERE first_name IS NULL")).isEqualTo(before).isEqualTo(1);
        assertThat(Rows.row("SELECT phone FROM leads")).containsEntry("phone", null);
    }
}
