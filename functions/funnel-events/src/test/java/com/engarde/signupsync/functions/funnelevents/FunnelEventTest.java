package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Race;
import com.engarde.signupsync.testing.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /funnel/event through the real Lambda handler, against PostgreSQL. */
class FunnelEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction();

    static ObjectNode event(String email, String externalId, String occurredAt) {
        ObjectNode e = JSON.createObjectNode()
                .put("source_type", "zoom")
                .put("event_type", "event_registered")
                .put("email", email)
                .put("external_id", externalId);
        if (occurredAt != null) {
            e.put("occurred_at", occurredAt);
        }
        return e;
    }

    static Response post(JsonNode body) {
        return lambda.handle(LambdaHarness.request("POST", "/funnel/event", body.toString()));
    }

    @Test
    void newEventIsCreatedForALeadKeyedByNormalizedEmail() {
        Response r = lambda.handle(LambdaHarness.sample("funnel-event.json"));

        assertThat(r.status()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.path("created").asBoolean()).isTrue();
        assertThat(body.at("/event/email").asText()).isEqualTo("ada.lovelace@example.com");
        assertThat(body.at("/event/occurred_at").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(body.at("/event/event_data/webinar_id").asText()).isEqualTo("42");
        assertThat(Rows.row("SELECT email, first_name, last_name FROM leads"))
                .containsEntry("email", "ada.lovelace@example.com")
                .containsEntry("first_name", "Ada")
                .containsEntry("last_name", "Lovelace");
    }

    @Test
    void retryOfTheSameEventAnswers200WithTheStoredEventAndStoresNothingNew() {
        Response first = post(event("a@example.com", "reg-1", "2026-03-01T10:00:00Z"));
        ObjectNode retry = event("A@Example.com ", "reg-1", "2026-03-01T10:00:00Z");
        retry.put("utm_source", "changed-on-retry");
        Response second = post(retry);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("created").asBoolean()).isFalse();
        assertThat(second.json().at("/event/id").asLong()).isEqualTo(first.json().at("/event/id").asLong());
        assertThat(second.json().at("/event/utm_source").isMissingNode()).as("the stored event, not the retry").isTrue();
        assertThat(Rows.count("funnel_events")).isEqualTo(1);
        assertThat(Rows.count("leads")).isEqualTo(1);
    }

    @Test
    void concurrentIdenticalPostsStoreOneEventAndOneLead() throws Exception {
        int threads = 12;
        List<Integer> statuses = Race.run(threads, i -> () ->
                post(event("race@example.com", "reg-race", "2026-03-01T10:00:00Z")).status());

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(threads - 1);
        assertThat(Rows.count("funnel_events")).isEqualTo(1);
        assertThat(Rows.count("leads")).isEqualTo(1);
    }

    @Test
    void concurrentDifferentEventsOfOneNewPersonMakeOneLead() throws Exception {
        int threads = 10;
        List<Integer> statuses = Race.run(threads, i -> () -> post(event("same.person@example.com", "reg-" + i,
                "2026-03-0" + (1 + i % 9) + "T10:00:00Z")).status());

        assertThat(statuses).containsOnly(201);
        assertThat(Rows.count("leads")).isEqualTo(1);
        assertThat(Rows.count("funnel_events")).isEqualTo(threads);
        Map<String, Object> lead = Rows.row("SELECT first_touch_at, last_touch_at FROM leads");
        assertThat(lead.get("first_touch_at")).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(lead.get("last_touch_at")).isEqualTo(Instant.parse("2026-03-09T10:00:00Z"));
    }

    @Test
    void firstAndLastTouchFollowOccurredAtWhateverTheArrivalOrder() {
        post(event("late@example.com", "middle", "2026-03-10T00:00:00Z").put("utm_source", "middle-source"));
        post(event("late@example.com", "latest", "2026-03-20T00:00:00Z").put("utm_source", "latest-source")
                .put("utm_campaign", "spring"));
        // A backfilled, older event arrives last and must become the first touch.
        ObjectNode oldest = event("late@example.com", "oldest", "2026-03-01T00:00:00Z").put("utm_source", "oldest-source");
        oldest.put("source_type", "eventbrite").put("event_type", "ticket_purchased");
        post(oldest);

        Map<String, Object> lead = Rows.row("""
                SELECT l.first_touch_source, l.first_touch_at, l.first_touch_utm_source, l.last_touch_source,
                       l.last_touch_at, l.last_touch_utm_source, l.last_touch_utm_campaign,
                       f.external_id AS first_id, la.external_id AS last_id
                FROM leads l JOIN funnel_events f ON f.id = l.first_touch_event_id
                             JOIN funnel_events la ON la.id = l.last_touch_event_id""");
        assertThat(lead)
                .containsEntry("first_touch_source", "eventbrite")
                .containsEntry("first_touch_at", Instant.parse("2026-03-01T00:00:00Z"))
                .containsEntry("first_touch_utm_source", "oldest-source")
                .containsEntry("first_id", "oldest")
                .containsEntry("last_touch_source", "zoom")
                .containsEntry("last_touch_at", Instant.parse("2026-03-20T00:00:00Z"))
                .containsEntry("last_touch_utm_source", "latest-source")
                .containsEntry("last_touch_utm_campaign", "spring")
                .containsEntry("last_id", "latest");
    }

    @Test
    void missingOccurredAtDefaultsToNow() {
        Instant before = Instant.now().minusSeconds(1);
        Response r = post(event("now@example.com", "no-time", null));

        assertThat(r.status()).isEqualTo(201);
        Instant at = Instant.parse(r.json().at("/event/occurred_at").asText());
        assertThat(at).isAfter(before).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void numericExternalIdIsAccepted() {
        ObjectNode e = event("num@example.com", "x", "2026-03-01T00:00:00Z");
        e.put("external_id", 123456);
        Response r = post(e);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().at("/event/external_id").asText()).isEqualTo("123456");
    }

    @Test
    void bodyOver256KilobytesIs413AndStoresNothing() {
        ObjectNode e = event("big@example.com", "big", "2026-03-01T00:00:00Z");
        e.put("padding", "x".repeat(256 * 1024));
        Response r = post(e);

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().path("error").asText()).isEqualTo("payload_too_large");
        assertThat(Rows.count("funnel_events")).isZero();
    }
}
