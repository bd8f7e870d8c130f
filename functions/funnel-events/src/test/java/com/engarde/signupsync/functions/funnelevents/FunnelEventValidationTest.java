package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every kind of bad input gets a 400 naming the field, and leaves what was stored untouched. */
class FunnelEventValidationTest {

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
        Response ok = lambda.handle(LambdaHarness.request("POST", "/funnel/event", valid("kept@example.com", "")));
        assertThat(ok.status()).isEqualTo(201);
    }

    private static String valid(String email, String extra) {
        return "{\"source_type\":\"manual\",\"event_type\":\"lead_captured\",\"email\":\"" + email + "\","
                + "\"external_id\":\"e-1\",\"occurred_at\":\"2026-03-01T10:00:00Z\"" + extra + "}";
    }

    static Stream<Arguments> badBodies() {
        String tomorrowAndMore = Instant.now().plus(25, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        String name = "n".repeat(201);
        return Stream.of(
                arguments("malformed JSON", "{\"source_type\": \"manual\",", null, "not valid JSON"),
                arguments("trailing garbage", valid("x@example.com", "") + "}", null, "not valid JSON"),
                arguments("not an object", "[1,2]", null, "JSON object"),
                arguments("empty body", "", null, "empty"),
                arguments("missing source_type", "{\"event_type\":\"lead_captured\",\"email\":\"x@example.com\"}",
                        "source_type", "required"),
                arguments("unknown source_type", valid("x@example.com", "").replace("\"manual\"", "\"myspace\""),
                        "source_type", "must be one of easyappointments, eventbrite, poshvip, zoom, manual"),
                arguments("unknown event_type", valid("x@example.com", "").replace("lead_captured", "lead_lost"),
                        "event_type", "must be one of lead_captured"),
                arguments("missing event_type", "{\"source_type\":\"manual\",\"email\":\"x@example.com\"}",
                        "event_type", "required"),
                arguments("missing email", "{\"source_type\":\"manual\",\"event_type\":\"lead_captured\"}",
                        "email", "required"),
                arguments("invalid email", valid("not-an-email", ""), "email", "not a valid email"),
                arguments("email with two @", valid("a@b@example.com", ""), "email", "not a valid email"),
                arguments("email as a number", "{\"source_type\":\"manual\",\"event_type\":\"lead_captured\",\"email\":42}",
                        "email", "must be a string"),
                arguments("occurred_at not ISO-8601", valid("x@example.com", "").replace("2026-03-01T10:00:00Z", "yesterday"),
                        "occurred_at", "ISO-8601"),
                arguments("occurred_at without offset", valid("x@example.com", "").replace("2026-03-01T10:00:00Z", "2026-03-01T10:00:00"),
                        "occurred_at", "ISO-8601"),
                arguments("occurred_at more than a day ahead", valid("x@example.com", "").replace("2026-03-01T10:00:00Z", tomorrowAndMore),
                        "occurred_at", "more than a day in the future"),
                arguments("event_data not an object", valid("x@example.com", ",\"event_data\":[1]"),
                        "event_data", "JSON object"),
                arguments("event_data over 32 KB", valid("x@example.com", ",\"event_data\":{\"blob\":\"" + "b".repeat(33 * 1024) + "\"}"),
                        "event_data", "at most 32768 bytes"),
                arguments("first_name too long", valid("x@example.com", ",\"first_name\":\"" + name + "\""),
                        "first_name", "at most 200 characters"),
                arguments("phone too long", valid("x@example.com", ",\"phone\":\"" + "1".repeat(51) + "\""),
                        "phone", "at most 50 characters"),
                arguments("utm_campaign too long", valid("x@example.com", ",\"utm_campaign\":\"" + "c".repeat(501) + "\""),
                        "utm_campaign", "at most 500 characters"),
                arguments("external_id too long", valid("x@example.com", "").replace("\"e-1\"", "\"" + "i".repeat(256) + "\""),
                        "external_id", "at most 255 characters"),
                arguments("email too long", valid("a".repeat(310) + "@example.com", ""), "email", "at most 320"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badInputIs400NamingTheFieldAndChangesNothing(String what, String body, String field, String message) {
        Response r = lambda.handle(LambdaHarness.request("POST", "/funnel/event", body));

        assertThat(r.status()).as(what).isEqualTo(400);
        JsonNode error = r.json();
        assertThat(error.path("error").asText()).isEqualTo("invalid_request");
        assertThat(error.path("message").asText()).contains(message);
        if (field == null) {
            assertThat(error.has("field")).isFalse();
        } else {
            assertThat(error.path("field").asText()).isEqualTo(field);
        }
        assertThat(Rows.count("funnel_events")).isEqualTo(1);
        assertThat(Rows.count("leads")).isEqualTo(1);
        assertThat(Rows.row("SELECT email FROM leads")).containsEntry("email", "kept@example.com");
    }
}
