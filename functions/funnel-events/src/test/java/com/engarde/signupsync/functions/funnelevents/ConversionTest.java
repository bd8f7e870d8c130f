package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Race;
import com.engarde.signupsync.testing.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /funnel/conversion through the real Lambda handler. */
class ConversionTest {

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction();

    private static Response event(String source, String type, String id, String at, String utm) {
        return lambda.handle(LambdaHarness.request("POST", "/funnel/event", """
                {"source_type":"%s","event_type":"%s","email":"ada@example.com","external_id":"%s",
                 "occurred_at":"%s","utm_source":"%s"}""".formatted(source, type, id, at, utm)));
    }

    private static Response convert(String body) {
        return lambda.handle(LambdaHarness.request("POST", "/funnel/conversion", body));
    }

    @Test
    void conversionSnapshotsFirstAndLastTouchAsOfConversionTime() {
        event("zoom", "event_registered", "z-1", "2026-03-01T10:00:00Z", "linkedin");
        event("eventbrite", "ticket_purchased", "o-1", "2026-03-05T10:00:00Z", "newsletter");
        event("easyappointments", "appointment_booked", "a-1", "2026-04-01T10:00:00Z", "after-conversion");

        Response r = convert("""
                {"email":"ADA@example.com","platform_user_id":"u-1","tenant_id":"t-9","converted_at":"2026-03-10T10:00:00Z"}""");

        assertThat(r.status()).isEqualTo(201);
        JsonNode c = r.json().path("conversion");
        assertThat(r.json().path("created").asBoolean()).isTrue();
        assertThat(c.at("/first_touch/source_type").asText()).isEqualTo("zoom");
        assertThat(c.at("/first_touch/utm_source").asText()).isEqualTo("linkedin");
        assertThat(c.at("/last_touch/source_type").asText()).isEqualTo("eventbrite");
        assertThat(c.at("/last_touch/utm_source").asText()).as("events after converted_at are not attribution")
                .isEqualTo("newsletter");
        assertThat(c.path("seconds_to_conversion").asLong()).isEqualTo(9 * 24 * 3600);
        assertThat(c.path("tenant_id").asText()).isEqualTo("t-9");

        Map<String, Object> converted = Rows.row(
                "SELECT source_type, external_id, occurred_at FROM funnel_events WHERE event_type = 'converted'");
        assertThat(converted).containsEntry("source_type", "zoom").containsEntry("external_id", "u-1")
                .containsEntry("occurred_at", Instant.parse("2026-03-10T10:00:00Z"));
        assertThat(Rows.row("SELECT last_touch_source FROM leads"))
                .as("a conversion is not a marketing touch").containsEntry("last_touch_source", "easyappointments");
    }

    @Test
    void convertingTwiceAnswersTheOriginalConversion() {
        event("zoom", "event_registered", "z-1", "2026-03-01T10:00:00Z", "linkedin");
        Response first = convert("{\"email\":\"ada@example.com\",\"platform_user_id\":\"u-1\",\"converted_at\":\"2026-03-10T10:00:00Z\"}");
        Response again = convert("{\"email\":\"ada@example.com\",\"platform_user_id\":\"u-1\",\"converted_at\":\"2026-03-11T10:00:00Z\"}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("created").asBoolean()).isFalse();
        assertThat(again.json().at("/conversion/id").asLong()).isEqualTo(first.json().at("/conversion/id").asLong());
        assertThat(again.json().at("/conversion/converted_at").asText()).isEqualTo("2026-03-10T10:00:00Z");
        assertThat(Rows.count("funnel_conversions")).isEqualTo(1);
        assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'converted'")).isEqualTo(1);
    }

    @Test
    void concurrentIdenticalConversionsRecordOne() throws Exception {
        event("zoom", "event_registered", "z-1", "2026-03-01T10:00:00Z", "linkedin");
        int threads = 8;
        List<Integer> statuses = Race.run(threads, i -> () ->
                convert("{\"email\":\"ada@example.com\",\"platform_user_id\":\"u-1\"}").status());

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(threads - 1);
        assertThat(Rows.count("funnel_conversions")).isEqualTo(1);
    }

    @Test
    void anUnknownEmailConvertsAsADirectSignup() {
        Response r = convert("{\"email\":\"walk-in@example.com\",\"platform_user_id\":\"u-2\",\"converted_at\":\"2026-03-10T10:00:00Z\"}");

        assertThat(r.status()).isEqualTo(201);
        JsonNode c = r.json().path("conversion");
        assertThat(c.at("/first_touch/source_type").asText()).isEqualTo("direct_signup");
        assertThat(c.at("/last_touch/source_type").asText()).isEqualTo("direct_signup");
        assertThat(c.path("seconds_to_conversion").asLong()).isZero();
        assertThat(Rows.row("SELECT first_touch_source, first_touch_at FROM leads WHERE email = 'walk-in@example.com'"))
                .containsEntry("first_touch_source", "direct_signup")
                .containsEntry("first_touch_at", Instant.parse("2026-03-10T10:00:00Z"));
    }

    @Test
    void aLeadCanBeNamedByIdAndAnUnknownIdIs404() {
        Response e = event("zoom", "event_registered", "z-1", "2026-03-01T10:00:00Z", "linkedin");
        long leadId = e.json().at("/event/lead_id").asLong();

        Response byId = convert("{\"lead_id\":" + leadId + ",\"platform_user_id\":\"u-3\"}");
        Response unknown = convert("{\"lead_id\":999999,\"platform_user_id\":\"u-4\"}");

        assertThat(byId.status()).isEqualTo(201);
        assertThat(byId.json().at("/conversion/email").asText()).isEqualTo("ada@example.com");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("field").asText()).isEqualTo("lead_id");
    }

    @Test
    void aSecondPlatformUserForAConvertedLeadIsAConflict() {
        convert("{\"email\":\"ada@example.com\",\"platform_user_id\":\"u-1\"}");
        Response otherUser = convert("{\"email\":\"ada@example.com\",\"platform_user_id\":\"u-2\"}");
        Response otherLead = convert("{\"email\":\"bob@example.com\",\"platform_user_id\":\"u-1\"}");

        assertThat(otherUser.status()).isEqualTo(409);
        assertThat(otherLead.status()).isEqualTo(409);
        assertThat(otherLead.json().path("field").asText()).isEqualTo("platform_user_id");
        assertThat(Rows.count("funnel_conversions")).isEqualTo(1);
    }

    @Test
    void invalidConversionsAre400() {
        assertThat(convert("{\"platform_user_id\":\"u-1\"}").json().path("field").asText()).isEqualTo("email");
        assertThat(convert("{\"email\":\"ada@example.com\"}").json().path("field").asText()).isEqualTo("platform_user_id");
        assertThat(convert("{\"email\":\"ada@example.com\",\"platform_user_id\":\"u\",\"converted_at\":\"soon\"}")
                .json().path("field").asText()).isEqualTo("converted_at");
        assertThat(convert("{\"lead_id\":\"abc\",\"platform_user_id\":\"u\"}").status()).isEqualTo(400);
        assertThat(Rows.count("funnel_conversions")).isZero();
    }
}
