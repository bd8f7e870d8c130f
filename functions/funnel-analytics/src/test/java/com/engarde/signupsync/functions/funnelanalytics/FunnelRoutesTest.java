package com.engarde.signupsync.functions.funnelanalytics;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.funnel.EventType.EVENT_ATTENDED;
import static com.engarde.signupsync.funnel.EventType.EVENT_REGISTERED;
import static com.engarde.signupsync.funnel.EventType.LEAD_CAPTURED;
import static com.engarde.signupsync.sources.eventbrite.EventbriteIntegration.EVENTBRITE;
import static com.engarde.signupsync.sources.zoom.ZoomIntegration.ZOOM;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Trends, lead lists, strict parameters and auth of the funnel routes, through the Lambda handler. */
class FunnelRoutesTest {

    private static LambdaHarness lambda;
    private static FunnelFixture funnel;

    @BeforeAll
    static void start() {
        lambda = new LambdaHarness(Map.of("test.clock", "mutable"));
        funnel = new FunnelFixture(lambda);
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    @BeforeEach
    void clean() {
        TestDatabase.get().truncate();
        TestClock.INSTANCE.set(Instant.parse("2026-03-20T12:00:00Z"));
    }

    @Test
    void trendsGiveEachCohortPeriodItsConversionAndMarkPeriodsWhoseWindowIsStillOpen() {
        // Week of 2 March: two leads, one attended. Week of 9 March: one lead, attended. Week of 16 March: none.
        funnel.write(event("a", ZOOM, EVENT_REGISTERED, "a1", "2026-03-02T10:00:00Z"),
                event("a", ZOOM, EVENT_ATTENDED, "a1", "2026-03-03T10:00:00Z"),
                event("b", ZOOM, EVENT_REGISTERED, "b1", "2026-03-04T10:00:00Z"),
                event("c", ZOOM, EVENT_REGISTERED, "c1", "2026-03-10T10:00:00Z"),
                event("c", ZOOM, EVENT_ATTENDED, "c1", "2026-03-11T10:00:00Z"));

        JsonNode trends = funnel.ok("/analytics/funnel-trends", "date_from=2026-03-02&date_to=2026-03-20"
                + "&interval=week&steps=event_registered,event_attended&window=7d");

        JsonNode periods = trends.path("periods");
        assertThat(periods).hasSize(3);
        assertThat(periods.get(0).path("period").asText()).isEqualTo("2026-03-02");
        assertThat(periods.get(0).path("entered").asLong()).isEqualTo(2);
        assertThat(periods.get(0).path("completed").asLong()).isEqualTo(1);
        assertThat(periods.get(0).path("conversion_rate").asDouble()).isEqualTo(0.5);
        // The week of 2 March ends on 9 March; with a 7-day window it closed on 16 March, before now (20 March).
        assertThat(periods.get(0).path("incomplete").asBoolean()).isFalse();
        assertThat(periods.get(1).path("conversion_rate").asDouble()).isEqualTo(1.0);
        assertThat(periods.get(1).path("incomplete").asBoolean()).as("closes 23 March").isTrue();
        assertThat(periods.get(2).path("entered").asLong()).isZero();
        assertThat(periods.get(2).path("conversion_rate").asDouble()).isZero();
        assertThat(trends.path("used").path("window").asText()).isEqualTo("7d");
        assertThat(funnel.ok("/analytics/funnel-trends", "date_from=2026-03-02&date_to=2026-03-20")
                .path("used").path("window").asText()).as("trends default to a 14-day window").isEqualTo("14d");
    }

    @Test
    void theLeadsBehindANumberArePagedInAStableOrderWithTheirTouches() {
        funnel.write(event("a", ZOOM, LEAD_CAPTURED, "a0", "2026-03-02T10:00:00Z"),
                event("a", EVENTBRITE, EVENT_REGISTERED, "a1", "2026-03-03T10:00:00Z"),
                event("b", ZOOM, LEAD_CAPTURED, "b0", "2026-03-02T11:00:00Z"),
                event("c", ZOOM, LEAD_CAPTURED, "c0", "2026-03-02T12:00:00Z"),
                event("d", ZOOM, EVENT_REGISTERED, "d0", "2026-03-02T13:00:00Z"));
        String range = "date_from=2026-03-01&date_to=2026-03-31";

        List<String> reached = new ArrayList<>();
        String after = "";
        int pages = 0;
        do {
            JsonNode page = funnel.ok("/analytics/funnel-leads", range + "&stage=1&limit=2" + after);
            page.path("leads").forEach(l -> reached.add(l.path("email").asText()));
            after = page.has("next_after") ? "&after=" + page.path("next_after").asLong() : "";
            pages++;
        } while (!after.isEmpty());
        assertThat(pages).isEqualTo(2);
        assertThat(reached).containsExactly("a@example.com", "b@example.com", "c@example.com", "d@example.com");

        JsonNode dropped = funnel.ok("/analytics/funnel-leads", range + "&stage=1&status=dropped");
        assertThat(dropped.path("stage_name").asText()).isEqualTo("captured");
        List<String> droppedEmails = new ArrayList<>();
        dropped.path("leads").forEach(l -> droppedEmails.add(l.path("email").asText()));
        assertThat(droppedEmails).as("captured, never engaged").containsExactly("b@example.com", "c@example.com");

        JsonNode engaged = funnel.ok("/analytics/funnel-leads", range + "&stage=2").path("leads").get(0);
        assertThat(engaged.path("email").asText()).isEqualTo("a@example.com");
        assertThat(engaged.path("first_touch").path("source").asText()).isEqualTo("zoom");
        assertThat(engaged.path("last_touch").path("source").asText()).isEqualTo("eventbrite");
        assertThat(engaged.path("last_touch").path("at").asText()).isEqualTo("2026-03-03T10:00:00Z");
        assertThat(engaged.path("stages_reached").asInt()).isEqualTo(2);
    }

    @Test
    void everyBadParameterIsA400NamingIt() {
        Map<String, List<String>> cases = Map.ofEntries(
                Map.entry("/analytics/funnel-metrics", List.of(
                        "group_by=region:group_by", "x=1:x",
                        "attribution=middle:attribution", "order=random:order", "window=14:window",
                        "window=0d:window", "window=99999w:window", "window=-1d:window", "histogram_bin=30m:histogram_bin",
                        "steps=converted:steps", "steps=signup_completed,nothing:steps", "steps=,:steps",
                        "steps=a,b,c,d,e,f,g,h,i,j,k:steps", "exclude=nothing:exclude",
                        "exclude=signup_completed:exclude", "date_from=2026-13-01:date_from",
                        "date_from=yesterday:date_from", "date_from=1999-12-31:date_from",
                        "date_to=2101-01-01:date_to", "date_from=2026-03-02&date_to=2026-03-01:date_from",
                        "date_from=2000-01-01&date_to=2099-01-01:date_to", "source_type=myspace:source_type",
                        "utm_source=" + "x".repeat(501) + ":utm_source", "utm_campaign=a%00b:utm_campaign",
                        "group_by=source&group_by=day:group_by")),
                Map.entry("/analytics/funnel-trends", List.of("interval=year:interval", "group_by=source:group_by",
                        "window=1y:window")),
                Map.entry("/analytics/funnel-leads", List.of(":stage", "stage=0:stage", "stage=6:stage",
                        "stage=one:stage", "stage=5&status=dropped:status", "stage=1&status=gone:status",
                        "stage=1&limit=0:limit", "stage=1&limit=501:limit", "stage=1&after=-1:after",
                        "stage=1&after=99999999999999999999:after")));
        int checked = 0;
        for (Map.Entry<String, List<String>> route : cases.entrySet()) {
            for (String c : route.getValue()) {
                int colon = c.lastIndexOf(':');
                String query = c.substring(0, colon);
                String field = c.substring(colon + 1);
                LambdaHarness.Response r = funnel.get(route.getKey(), query);
                assertThat(r.status()).as(route.getKey() + "?" + query + ": " + r.body()).isEqualTo(400);
                assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
                assertThat(r.json().path("field").asText()).as(route.getKey() + "?" + query).isEqualTo(field);
                assertThat(r.json().path("message").asText()).isNotBlank();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(38);
    }

    @Test
    void theRoutesNeedTheServiceTokenAndTheAdminRouteAnAdminToken() {
        for (String path : List.of("/analytics/funnel-metrics", "/analytics/funnel-trends", "/analytics/funnel-leads")) {
            APIGatewayProxyRequestEvent request = LambdaHarness.request("GET", path, null);
            request.getHeaders().remove("Authorization");
            assertThat(lambda.handle(request).status()).as(path).isEqualTo(401);
        }
        // Admin auth is not built yet: the admin route answers 401 even to the service token.
        assertThat(lambda.handle(LambdaHarness.request("GET", "/api/admin/analytics/funnel-metrics", null)).status())
                .isEqualTo(401);
    }
}
