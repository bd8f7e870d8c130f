package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /funnel/events: each item stands on its own. */
class FunnelBatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction();

    private static Response batch(ArrayNode events) {
        ObjectNode body = JSON.createObjectNode();
        body.set("events", events);
        return lambda.handle(LambdaHarness.request("POST", "/funnel/events", body.toString()));
    }

    private static ObjectNode event(String email, String id, String at) {
        return JSON.createObjectNode().put("source_type", "eventbrite").put("event_type", "ticket_purchased")
                .put("email", email).put("external_id", id).put("occurred_at", at);
    }

    @Test
    void oneBadItemDoesNotRejectTheOthers() {
        lambda.handle(LambdaHarness.request("POST", "/funnel/event",
                event("old@example.com", "order-0", "2026-01-01T00:00:00Z").toString()));
        ArrayNode events = JSON.createArrayNode();
        events.add(event("one@example.com", "order-1", "2026-02-01T00:00:00Z"));
        events.add(event("not an email", "order-2", "2026-02-01T00:00:00Z"));
        events.add(event("old@example.com", "order-0", "2026-01-01T00:00:00Z"));
        events.add(event("one@example.com", "order-1", "2026-02-01T00:00:00Z"));
        events.add(JSON.createObjectNode().put("source_type", "eventbrite"));
        events.add(JSON.getNodeFactory().textNode("not an object"));

        Response r = batch(events);

        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("created").asInt()).isEqualTo(1);
        assertThat(body.path("duplicates").asInt()).isEqualTo(2);
        assertThat(body.path("errors").asInt()).isEqualTo(3);
        JsonNode results = body.path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("created");
        assertThat(results.get(1).path("status").asText()).isEqualTo("error");
        assertThat(results.get(1).path("field").asText()).isEqualTo("email");
        assertThat(results.get(2).path("status").asText()).isEqualTo("duplicate");
        assertThat(results.get(3).path("status").asText()).isEqualTo("duplicate");
        assertThat(results.get(3).path("event_id").asLong()).isEqualTo(results.get(0).path("event_id").asLong());
        assertThat(results.get(2).path("lead_id").asLong()).isPositive();
        assertThat(results.get(4).path("field").asText()).isEqualTo("event_type");
        assertThat(results.get(5).path("message").asText()).contains("JSON object");
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).path("index").asInt()).isEqualTo(i);
        }
        assertThat(Rows.count("funnel_events")).isEqualTo(2);
        assertThat(Rows.count("leads")).isEqualTo(2);
    }

    @Test
    void aBatchSetsTouchesFromTheEarliestAndLatestOfItsEvents() {
        ArrayNode events = JSON.createArrayNode();
        events.add(event("many@example.com", "b", "2026-02-10T00:00:00Z").put("utm_source", "b"));
        events.add(event("many@example.com", "c", "2026-02-20T00:00:00Z").put("utm_source", "c"));
        events.add(event("many@example.com", "a", "2026-02-01T00:00:00Z").put("utm_source", "a"));

        assertThat(batch(events).json().path("created").asInt()).isEqualTo(3);
        Map<String, Object> lead = Rows.row("SELECT first_touch_utm_source, first_touch_at, last_touch_utm_source FROM leads");
        assertThat(lead).containsEntry("first_touch_utm_source", "a")
                .containsEntry("first_touch_at", Instant.parse("2026-02-01T00:00:00Z"))
                .containsEntry("last_touch_utm_source", "c");
    }

    @Test
    void moreThan500ItemsIsRejectedWhole() {
        ArrayNode events = JSON.createArrayNode();
        for (int i = 0; i < 501; i++) {
            events.add(event("bulk" + i + "@example.com", "o-" + i, "2026-02-01T00:00:00Z"));
        }
        Response r = batch(events);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("field").asText()).isEqualTo("events");
        assertThat(Rows.count("funnel_events")).isZero();
    }

    @Test
    void exactly500ItemsAreStored() {
        ArrayNode events = JSON.createArrayNode();
        for (int i = 0; i < 500; i++) {
            events.add(event("bulk" + (i % 50) + "@example.com", "o-" + i, "2026-02-01T00:00:00Z"));
        }
        Response r = batch(events);

        assertThat(r.json().path("created").asInt()).isEqualTo(500);
        assertThat(Rows.count("funnel_events")).isEqualTo(500);
        assertThat(Rows.count("leads")).isEqualTo(50);
    }

    @Test
    void missingOrEmptyEventsArrayIs400() {
        Response missing = lambda.handle(LambdaHarness.request("POST", "/funnel/events", "{}"));
        Response empty = batch(JSON.createArrayNode());

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("field").asText()).isEqualTo("events");
        assertThat(empty.status()).isEqualTo(400);
    }
}
