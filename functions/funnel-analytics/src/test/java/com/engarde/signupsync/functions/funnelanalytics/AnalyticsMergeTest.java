package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Race;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.funnel.EventType.CONVERTED;
import static com.engarde.signupsync.funnel.EventType.EVENT_ATTENDED;
import static com.engarde.signupsync.funnel.EventType.EVENT_REGISTERED;
import static com.engarde.signupsync.funnel.EventType.LEAD_CAPTURED;
import static com.engarde.signupsync.funnel.EventType.SIGNUP_COMPLETED;
import static com.engarde.signupsync.funnel.EventType.TICKET_PURCHASED;
import static com.engarde.signupsync.funnel.EventType.TICKET_REFUNDED;
import static com.engarde.signupsync.funnel.SourceType.EVENTBRITE;
import static com.engarde.signupsync.funnel.SourceType.MANUAL;
import static com.engarde.signupsync.funnel.SourceType.ZOOM;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.event;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.group;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.stageCounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement of one event is merged into its lead's row (V14) instead of recomputing the lead: each case the
 * merge decides, and each it hands back to the recomputation (ties, refunds), ends with the row the raw
 * events define.
 */
class AnalyticsMergeTest {

    private static final String MARCH = "date_from=2026-03-01&date_to=2026-03-31";
    private static final Utm NEWS = new Utm("news", "email", "spring", null, null);
    private static final Utm ADS = new Utm("google", "cpc", "brand", null, null);
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
        TestClock.INSTANCE.set(Instant.parse("2026-06-15T12:00:00Z"));
    }

    @Test
    void singleEventsOneAtATimeBuildTheRowTheRawEventsDefine() {
        funnel.write(event("ann", ZOOM, EVENT_REGISTERED, "a1", "2026-03-10T10:00:00Z", NEWS));
        funnel.write(event("ann", ZOOM, EVENT_ATTENDED, "a1", "2026-03-11T10:00:00Z"));
        // A late, older event: the first touch moves to 27 February and to manual with its UTM.
        funnel.write(event("ann", MANUAL, LEAD_CAPTURED, "a0", "2026-02-27T09:00:00Z", ADS));
        funnel.write(event("ann", ZOOM, SIGNUP_COMPLETED, "a2", "2026-03-12T10:00:00Z"));
        funnel.convert("ann", "user-ann", "2026-03-20T10:00:00Z");
        // An older attendance than the one stored: the stage's first time moves back, the last touch does not.
        funnel.write(event("ann", ZOOM, EVENT_ATTENDED, "a3", "2026-03-10T12:00:00Z"));

        assertExact();
        Map<String, Object> row = Rows.row("SELECT ft_source, ft_utm_campaign, lt_source, lt_at, at_event_attended"
                + " FROM analytics_leads");
        assertThat(row.get("ft_source")).isEqualTo("manual");
        assertThat(row.get("ft_utm_campaign")).isEqualTo("brand");
        assertThat(row.get("lt_source")).isEqualTo("zoom");
        assertThat(row.get("lt_at").toString()).startsWith("2026-03-12");
        assertThat(row.get("at_event_attended").toString()).startsWith("2026-03-10");
        // Its cohort is February now: March holds nobody, February holds the lead at every stage.
        assertThat(funnel.metrics(MARCH).path("total").path("leads").asLong()).isZero();
        JsonNode feb = funnel.metrics("date_from=2026-02-01&date_to=2026-02-28&group_by=source");
        assertThat(stageCounts(group(feb, "manual"))).containsExactly(1L, 1L, 1L, 1L, 1L);
    }

    @Test
    void anEventTyingTheFirstOrLastTouchIsRecomputedByTheEventOrder() {
        funnel.write(event("bea", ZOOM, EVENT_REGISTERED, "b1", "2026-03-10T10:00:00Z", NEWS));
        // Same instant as the first touch, stored later: V7 keeps the earlier event id as first touch.
        funnel.write(event("bea", MANUAL, LEAD_CAPTURED, "b0", "2026-03-10T10:00:00Z", ADS));
        // Same instant as the last touch: the later event id becomes the last touch.
        funnel.write(event("bea", EVENTBRITE, EVENT_ATTENDED, "b2", "2026-03-10T10:00:00Z", ADS));
        assertExact();
        Map<String, Object> row = Rows.row("SELECT ft_source, lt_source FROM analytics_leads");
        assertThat(row.get("ft_source")).isEqualTo("zoom");
        assertThat(row.get("lt_source")).isEqualTo("eventbrite");

        // A conversion alone, then a marketing event after it: the marketing event is the last touch.
        funnel.convert("cid", "user-cid", "2026-03-15T10:00:00Z");
        funnel.write(event("cid", ZOOM, EVENT_REGISTERED, "c1", "2026-03-14T10:00:00Z", NEWS));
        assertExact();
        assertThat(Rows.row("SELECT lt_source, lt_at FROM analytics_leads a JOIN leads l ON l.id = a.lead_id"
                + " WHERE l.email = 'cid@example.com'").get("lt_at").toString()).startsWith("2026-03-14");
    }

    @Test
    void aRefundWrittenAloneVoidsThePurchaseStoredBefore() {
        funnel.write(event("dee", EVENTBRITE, TICKET_PURCHASED, "o1", "2026-03-05T10:00:00Z", NEWS));
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(1L, 1L, 0L, 0L, 0L);
        funnel.write(event("dee", EVENTBRITE, TICKET_REFUNDED, "o1", "2026-03-06T10:00:00Z"));
        assertExact();
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(1L, 0L, 0L, 0L, 0L);
    }

    @Test
    void concurrentSingleEventsOfOneLeadAreAllMerged() throws Exception {
        funnel.write(event("eve", ZOOM, LEAD_CAPTURED, "e0", "2026-03-10T10:00:00Z"));
        List<EventType> types = List.of(EVENT_REGISTERED, EVENT_ATTENDED, SIGNUP_COMPLETED, LEAD_CAPTURED,
                EVENT_REGISTERED, EVENT_ATTENDED, CONVERTED, LEAD_CAPTURED);
        Race.run(types.size(), i -> () -> {
            String at = i == 3 ? "2026-03-01T09:00:00Z" : "2026-03-1" + (1 + i) + "T10:00:00Z";
            funnel.write(event("eve", i % 2 == 0 ? ZOOM : EVENTBRITE, types.get(i), "e" + (i + 1), at, NEWS));
            return null;
        });
        assertExact();
        assertThat(Rows.number("SELECT cardinality(occurrences) FROM analytics_leads")).isEqualTo(9);
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(1L, 1L, 1L, 1L, 1L);
    }

    private static void assertExact() {
        assertThat(Rows.count("analytics_leads")).isEqualTo(Rows.count("analytics_leads_from_events")).isPositive();
        assertThat(Rows.number("SELECT count(*) FROM (SELECT * FROM analytics_leads"
                + " EXCEPT SELECT * FROM analytics_leads_from_events) d")).as("rows kept differ from rows derived").isZero();
    }
}
