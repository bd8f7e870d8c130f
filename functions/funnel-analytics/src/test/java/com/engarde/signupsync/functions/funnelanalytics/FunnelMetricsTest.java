package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.testing.Race;
import com.engarde.signupsync.testing.Rows;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.funnel.EventType.APPOINTMENT_BOOKED;
import static com.engarde.signupsync.funnel.EventType.APPOINTMENT_CANCELLED;
import static com.engarde.signupsync.funnel.EventType.CONVERTED;
import static com.engarde.signupsync.funnel.EventType.EVENT_ATTENDED;
import static com.engarde.signupsync.funnel.EventType.EVENT_REGISTERED;
import static com.engarde.signupsync.funnel.EventType.LEAD_CAPTURED;
import static com.engarde.signupsync.funnel.EventType.SIGNUP_COMPLETED;
import static com.engarde.signupsync.funnel.EventType.TICKET_PURCHASED;
import static com.engarde.signupsync.funnel.EventType.TICKET_REFUNDED;
import static com.engarde.signupsync.sources.easyappointments.EasyAppointmentsIntegration.EASYAPPOINTMENTS;
import static com.engarde.signupsync.sources.eventbrite.EventbriteIntegration.EVENTBRITE;
import static com.engarde.signupsync.funnel.SourceType.MANUAL;
import static com.engarde.signupsync.sources.poshvip.PoshIntegration.POSHVIP;
import static com.engarde.signupsync.sources.zoom.ZoomIntegration.ZOOM;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.event;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.group;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.stageCounts;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /analytics/funnel-metrics on small data sets whose answers are worked out by hand in each test. */
class FunnelMetricsTest {

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
    void aLeadCountsOncePerStageAndEveryStageNeedsThePreviousOnes() {
        // ann: captured, registered twice, attended, signed up, converted: every stage, once each.
        funnel.write(event("ann", ZOOM, LEAD_CAPTURED, "a0", "2026-03-02T10:00:00Z"),
                event("ann", ZOOM, EVENT_REGISTERED, "a1", "2026-03-02T11:00:00Z"),
                event("ann", ZOOM, EVENT_REGISTERED, "a2", "2026-03-03T11:00:00Z"),
                event("ann", ZOOM, EVENT_ATTENDED, "a1", "2026-03-04T11:00:00Z"),
                event("ann", MANUAL, SIGNUP_COMPLETED, "a3", "2026-03-05T11:00:00Z"));
        funnel.convert("ann", "u-ann", "2026-03-05T10:00:00Z");
        // bob: captured only.  cat: signed up without ever engaging: counted at captured only.
        funnel.write(event("bob", MANUAL, LEAD_CAPTURED, "b0", "2026-03-10T10:00:00Z"),
                event("cat", MANUAL, SIGNUP_COMPLETED, "c0", "2026-03-11T10:00:00Z"));

        JsonNode total = funnel.metrics(MARCH).path("total");

        assertThat(total.path("leads").asLong()).isEqualTo(3);
        assertThat(stageCounts(total)).containsExactly(3L, 1L, 1L, 1L, 1L);
        JsonNode engaged = total.path("stages").get(1);
        assertThat(engaged.path("name").asText()).isEqualTo("engaged");
        assertThat(engaged.path("conversion_from_previous").asDouble()).isEqualTo(0.333333);
        assertThat(engaged.path("drop_off").asLong()).isEqualTo(2);
        assertThat(total.path("stages").get(4).path("conversion_from_first").asDouble()).isEqualTo(0.333333);
        assertThat(total.path("conversions").asLong()).isEqualTo(1);
        assertThat(total.path("conversion_rate").asDouble()).isEqualTo(0.333333);
        // ann converted three days (72 hours) after her first touch, 2 March 10:00 to 5 March 10:00.
        assertThat(total.path("time_to_convert").path("median_hours").asDouble()).isEqualTo(72.0);
    }

    @Test
    void aRefundedTicketOrACancelledBookingDoesNotReachItsStageUnlessReachedAnotherWay() {
        funnel.write(event("dan", POSHVIP, TICKET_PURCHASED, "o1", "2026-03-02T10:00:00Z"),
                event("eve", POSHVIP, TICKET_PURCHASED, "o2", "2026-03-02T10:00:00Z"),
                event("fay", EASYAPPOINTMENTS, APPOINTMENT_BOOKED, "ap1", "2026-03-02T10:00:00Z"),
                event("gus", POSHVIP, TICKET_PURCHASED, "o3", "2026-03-02T10:00:00Z"));
        JsonNode before = funnel.metrics(MARCH).path("total");
        assertThat(stageCounts(before)).containsExactly(4L, 4L, 0L, 0L, 0L);

        // dan's ticket refunded; fay's booking cancelled; eve refunded but registered for a webinar too.
        funnel.write(event("dan", POSHVIP, TICKET_REFUNDED, "o1", "2026-03-05T10:00:00Z"),
                event("eve", POSHVIP, TICKET_REFUNDED, "o2", "2026-03-05T10:00:00Z"),
                event("eve", ZOOM, EVENT_REGISTERED, "w1", "2026-03-06T10:00:00Z"),
                event("fay", EASYAPPOINTMENTS, APPOINTMENT_CANCELLED, "ap1", "2026-03-03T10:00:00Z"));

        JsonNode after = funnel.metrics(MARCH).path("total");
        assertThat(stageCounts(after)).as("gus and eve engaged; dan and fay did not").containsExactly(4L, 2L, 0L, 0L, 0L);
    }

    @Test
    void aLeadWithSeveralSourcesIsAttributedByTheChosenModel() {
        funnel.write(event("hal", ZOOM, EVENT_REGISTERED, "h1", "2026-03-02T10:00:00Z", new Utm("news", "email", "spring", null, null)),
                event("hal", EVENTBRITE, TICKET_PURCHASED, "h2", "2026-03-09T10:00:00Z", new Utm("ig", "social", "promo", null, null)),
                event("ida", ZOOM, LEAD_CAPTURED, "i1", "2026-03-03T10:00:00Z"));

        JsonNode first = funnel.metrics(MARCH + "&group_by=source");
        assertThat(group(first, "zoom").path("leads").asLong()).isEqualTo(2);
        assertThat(first.path("groups")).hasSize(1);
        JsonNode last = funnel.metrics(MARCH + "&group_by=source&attribution=last_touch");
        assertThat(group(last, "zoom").path("leads").asLong()).isEqualTo(1);
        assertThat(group(last, "eventbrite").path("leads").asLong()).isEqualTo(1);
        assertThat(last.path("used").path("attribution").asText()).isEqualTo("last_touch");

        assertThat(funnel.metrics(MARCH + "&source_type=eventbrite").path("total").path("leads").asLong()).isZero();
        assertThat(funnel.metrics(MARCH + "&source_type=eventbrite&attribution=last_touch").path("total")
                .path("leads").asLong()).isEqualTo(1);
        assertThat(funnel.metrics(MARCH + "&utm_campaign=spring").path("total").path("leads").asLong()).isEqualTo(1);
        assertThat(funnel.metrics(MARCH + "&utm_campaign=spring&attribution=last_touch").path("total")
                .path("leads").asLong()).isZero();
        assertThat(group(funnel.metrics(MARCH + "&group_by=utm_medium&attribution=last_touch"), "social")
                .path("leads").asLong()).isEqualTo(1);
    }

    @Test
    void everyGroupByPartitionsTheCohortSoGroupsAddUpToTheTotalAtEveryStage() {
        // Monday 2 March and Sunday 8 March are ISO week 10; Monday 9 March is week 11; 1 April is week 14.
        funnel.write(event("j1", ZOOM, EVENT_REGISTERED, "j1", "2026-03-02T00:00:00Z", new Utm("news", "email", "spring", null, null)),
                event("j2", ZOOM, LEAD_CAPTURED, "j2", "2026-03-08T23:59:59Z", new Utm("news", null, null, null, null)),
                event("j3", EVENTBRITE, TICKET_PURCHASED, "j3", "2026-03-09T00:00:00Z"),
                event("j4", MANUAL, SIGNUP_COMPLETED, "j4", "2026-04-01T12:00:00Z"),
                event("j4", MANUAL, LEAD_CAPTURED, "j4b", "2026-04-01T13:00:00Z"));
        String range = "date_from=2026-03-01&date_to=2026-04-30";

        Map<String, List<String>> expected = Map.of(
                "source", List.of("eventbrite", "manual", "zoom"),
                "utm_source", List.of("(none)", "news"),
                "utm_medium", List.of("(none)", "email"),
                "utm_campaign", List.of("(none)", "spring"),
                "day", List.of("2026-03-02", "2026-03-08", "2026-03-09", "2026-04-01"),
                "week", List.of("2026-W10", "2026-W11", "2026-W14"),
                "month", List.of("2026-03", "2026-04"));
        int checked = 0;
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            JsonNode report = funnel.metrics(range + "&group_by=" + e.getKey());
            List<String> keys = new ArrayList<>();
            long[] sums = new long[5];
            long leads = 0;
            for (JsonNode g : report.path("groups")) {
                keys.add(g.path("key").asText());
                leads += g.path("leads").asLong();
                for (int k = 0; k < 5; k++) {
                    sums[k] += g.path("stages").get(k).path("leads").asLong();
                }
            }
            assertThat(keys).as(e.getKey()).containsExactlyElementsOf(e.getValue());
            assertThat(leads).as(e.getKey()).isEqualTo(4);
            List<Long> total = stageCounts(report.path("total"));
            assertThat(total).as(e.getKey()).containsExactly(4L, 2L, 0L, 0L, 0L);
            for (int k = 0; k < 5; k++) {
                assertThat(sums[k]).as(e.getKey() + " stage " + k).isEqualTo(total.get(k));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(7);
        assertThat(group(funnel.metrics(range + "&group_by=week"), "2026-W10").path("leads").asLong()).isEqualTo(2);
    }

    @Test
    void anEmptyRangeAndARangeWithoutConversionsAnswerZeros() {
        JsonNode empty = funnel.metrics(MARCH + "&group_by=source").path("total");
        assertThat(empty.path("leads").asLong()).isZero();
        assertThat(stageCounts(empty)).containsExactly(0L, 0L, 0L, 0L, 0L);
        assertThat(empty.path("conversion_rate").asDouble()).isZero();
        assertThat(empty.path("stages").get(1).path("conversion_from_previous").asDouble()).isZero();

        funnel.write(event("kim", ZOOM, EVENT_REGISTERED, "k1", "2026-03-02T10:00:00Z"));
        JsonNode noConversions = funnel.metrics(MARCH).path("total");
        assertThat(noConversions.path("leads").asLong()).isEqualTo(1);
        assertThat(noConversions.path("conversions").asLong()).isZero();
        assertThat(noConversions.path("time_to_convert").has("median_hours")).isFalse();
        assertThat(noConversions.path("time_to_convert").path("histogram")).isEmpty();
    }

    @Test
    void aLateOlderEventMovesTheLeadToItsRealCohortAndSource() {
        funnel.write(event("lou", ZOOM, EVENT_REGISTERED, "l1", "2026-03-10T10:00:00Z"));
        assertThat(funnel.metrics(MARCH).path("total").path("leads").asLong()).isEqualTo(1);

        // A backfill brings an older touch from another source: lou's first touch is now in February.
        funnel.write(event("lou", EVENTBRITE, LEAD_CAPTURED, "l0", "2026-02-20T10:00:00Z"));

        assertThat(funnel.metrics(MARCH).path("total").path("leads").asLong()).isZero();
        JsonNode february = funnel.metrics("date_from=2026-02-01&date_to=2026-02-28&group_by=source");
        assertThat(group(february, "eventbrite").path("leads").asLong()).isEqualTo(1);
        assertThat(stageCounts(february.path("total"))).containsExactly(1L, 1L, 0L, 0L, 0L);
    }

    @Test
    void sequentialOrderNeedsEachStageAtOrAfterThePreviousOneAndAnyOrderDoesNot() {
        // mae attended before she registered (a walk-in registered afterwards); ned did it in order.
        funnel.write(event("mae", ZOOM, EVENT_ATTENDED, "m1", "2026-03-05T10:00:00Z"),
                event("mae", ZOOM, EVENT_REGISTERED, "m2", "2026-03-06T10:00:00Z"),
                event("ned", ZOOM, EVENT_REGISTERED, "n1", "2026-03-05T10:00:00Z"),
                event("ned", ZOOM, EVENT_ATTENDED, "n2", "2026-03-05T10:00:00Z"));
        String steps = MARCH + "&steps=event_registered,event_attended";

        assertThat(stageCounts(funnel.metrics(steps).path("total"))).containsExactly(2L, 2L);
        JsonNode sequential = funnel.metrics(steps + "&order=sequential");
        assertThat(stageCounts(sequential.path("total"))).as("at the same instant counts as after").containsExactly(2L, 1L);
        assertThat(sequential.path("used").path("order").asText()).isEqualTo("sequential");
        assertThat(sequential.path("used").path("steps").get(0).path("event_types").get(0).asText())
                .isEqualTo("event_registered");
    }

    @Test
    void aStageExactlyAtTheWindowCountsAndOneSecondPastDoesNot() {
        funnel.write(event("ola", MANUAL, LEAD_CAPTURED, "o1", "2026-03-02T10:00:00Z"),
                event("ola", MANUAL, SIGNUP_COMPLETED, "o2", "2026-03-03T10:00:00Z"),
                event("pat", MANUAL, LEAD_CAPTURED, "p1", "2026-03-02T10:00:00Z"),
                event("pat", MANUAL, SIGNUP_COMPLETED, "p2", "2026-03-03T10:00:01Z"));
        String steps = MARCH + "&steps=lead_captured,signup_completed";

        assertThat(stageCounts(funnel.metrics(steps).path("total"))).containsExactly(2L, 2L);
        JsonNode windowed = funnel.metrics(steps + "&window=1d");
        assertThat(stageCounts(windowed.path("total"))).containsExactly(2L, 1L);
        assertThat(windowed.path("used").path("window").asText()).isEqualTo("1d");
        assertThat(stageCounts(funnel.metrics(steps + "&window=24h&order=sequential").path("total")))
                .containsExactly(2L, 1L);
        // A conversion counts within the window of the first touch, the same way.
        funnel.convert("ola", "u-ola", "2026-03-03T10:00:00Z");
        funnel.convert("pat", "u-pat", "2026-03-03T10:00:01Z");
        assertThat(funnel.metrics(MARCH + "&window=1d").path("total").path("conversions").asLong()).isEqualTo(1);
        assertThat(funnel.metrics(MARCH).path("total").path("conversions").asLong()).isEqualTo(2);
    }

    @Test
    void anExcludedEventBetweenTheFirstAndLastCountedStageRemovesTheLead() {
        // quin cancelled an appointment between registering and attending; ray cancelled after attending;
        // sue only registered, then cancelled (nothing between a single stage and itself).
        funnel.write(event("quin", ZOOM, EVENT_REGISTERED, "q1", "2026-03-02T10:00:00Z"),
                event("quin", EASYAPPOINTMENTS, APPOINTMENT_CANCELLED, "q2", "2026-03-03T10:00:00Z"),
                event("quin", ZOOM, EVENT_ATTENDED, "q3", "2026-03-04T10:00:00Z"),
                event("ray", ZOOM, EVENT_REGISTERED, "r1", "2026-03-02T10:00:00Z"),
                event("ray", ZOOM, EVENT_ATTENDED, "r3", "2026-03-04T10:00:00Z"),
                event("ray", EASYAPPOINTMENTS, APPOINTMENT_CANCELLED, "r2", "2026-03-05T10:00:00Z"),
                event("sue", ZOOM, EVENT_REGISTERED, "s1", "2026-03-02T10:00:00Z"),
                event("sue", EASYAPPOINTMENTS, APPOINTMENT_CANCELLED, "s2", "2026-03-03T10:00:00Z"));
        String steps = MARCH + "&steps=event_registered,event_attended";

        assertThat(stageCounts(funnel.metrics(steps).path("total"))).containsExactly(3L, 2L);
        JsonNode excluded = funnel.metrics(steps + "&exclude=appointment_cancelled");
        assertThat(excluded.path("total").path("leads").asLong()).isEqualTo(2);
        assertThat(stageCounts(excluded.path("total"))).containsExactly(2L, 1L);
        assertThat(excluded.path("used").path("exclude").get(0).asText()).isEqualTo("appointment_cancelled");
    }

    @Test
    void timeToConvertHasPercentilesAndAHistogramOfTheChosenBinWidth() {
        funnel.write(event("tom", ZOOM, LEAD_CAPTURED, "t1", "2026-03-02T00:00:00Z"),
                event("uma", ZOOM, LEAD_CAPTURED, "u1", "2026-03-02T00:00:00Z"));
        funnel.convert("tom", "u-tom", "2026-03-03T00:00:00Z");
        funnel.convert("uma", "u-uma", "2026-03-05T00:00:00Z");

        JsonNode time = funnel.metrics(MARCH + "&histogram_bin=1d").path("total").path("time_to_convert");

        // 24 h and 72 h: median 48, p75 = 24 + 0.75 * 48 = 60, p90 = 24 + 0.9 * 48 = 67.2 (interpolated).
        assertThat(time.path("median_hours").asDouble()).isEqualTo(48.0);
        assertThat(time.path("p75_hours").asDouble()).isEqualTo(60.0);
        assertThat(time.path("p90_hours").asDouble()).isEqualTo(67.2);
        assertThat(time.path("bin_width").asText()).isEqualTo("1d");
        assertThat(time.path("histogram")).hasSize(2);
        assertThat(time.path("histogram").get(0).path("from_hours").asDouble()).isEqualTo(24.0);
        assertThat(time.path("histogram").get(0).path("to_hours").asDouble()).isEqualTo(48.0);
        assertThat(time.path("histogram").get(1).path("from_hours").asDouble()).isEqualTo(72.0);
        assertThat(time.path("histogram").get(1).path("leads").asLong()).isEqualTo(1);
    }

    @Test
    void concurrentWritersOfTheSameLeadsAreAllCounted() throws Exception {
        funnel.write(event("vic", ZOOM, LEAD_CAPTURED, "v0", "2026-03-10T10:00:00Z"),
                event("wes", ZOOM, LEAD_CAPTURED, "w0", "2026-03-10T10:00:00Z"));
        // Eight writers at once, each one event for both leads (in opposite orders), one of them older.
        List<String> types = List.of("event_registered", "event_attended", "signup_completed", "ticket_purchased",
                "appointment_booked", "appointment_completed", "signup_started", "lead_captured");
        Race.run(types.size(), i -> () -> {
            EventType type = EventType.fromId(types.get(i)).orElseThrow();
            String at = i == 7 ? "2026-03-01T09:00:00Z" : "2026-03-1" + (1 + i % 8) + "T10:00:00Z";
            List<NewFunnelEvent> batch = new ArrayList<>(List.of(event("vic", EVENTBRITE, type, "v" + (i + 1), at),
                    event("wes", EVENTBRITE, type, "w" + (i + 1), at)));
            if (i % 2 == 1) {
                Collections.reverse(batch);
            }
            funnel.write(batch);
            return null;
        });

        assertThat(Rows.number("SELECT count(*) FROM (SELECT * FROM analytics_leads"
                + " EXCEPT SELECT * FROM analytics_leads_from_events) d")).isZero();
        assertThat(Rows.count("analytics_leads")).isEqualTo(2);
        JsonNode total = funnel.metrics(MARCH + "&group_by=source").path("total");
        assertThat(stageCounts(total)).containsExactly(2L, 2L, 2L, 2L, 0L);
        // The older lead_captured event moved both first touches to eventbrite on 1 March.
        assertThat(group(funnel.metrics(MARCH + "&group_by=source"), "eventbrite").path("leads").asLong()).isEqualTo(2);
    }

    @Test
    void deletedEventsLeaveTheFunnelAndALeadWithoutEventsLeavesTheTable() {
        funnel.write(event("xan", ZOOM, LEAD_CAPTURED, "x0", "2026-03-02T10:00:00Z"),
                event("xan", ZOOM, EVENT_REGISTERED, "x1", "2026-03-03T10:00:00Z"),
                event("yul", ZOOM, LEAD_CAPTURED, "y0", "2026-03-02T10:00:00Z"));
        TestDatabase.get().execute("DELETE FROM funnel_events WHERE external_id IN ('x1', 'y0')");

        assertThat(Rows.count("analytics_leads")).isEqualTo(1);
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(1L, 0L, 0L, 0L, 0L);
    }

    @Test
    void theDefaultRangeIsTheLastThirtyDaysAndEverythingUsedIsEchoed() {
        JsonNode used = funnel.metrics("").path("used");
        assertThat(used.path("date_from").asText()).isEqualTo("2026-05-17");
        assertThat(used.path("date_to").asText()).isEqualTo("2026-06-15");
        assertThat(used.path("attribution").asText()).isEqualTo("first_touch");
        assertThat(used.path("group_by").asText()).isEqualTo("none");
        assertThat(used.path("order").asText()).isEqualTo("any");
        assertThat(used.has("window")).isFalse();
        assertThat(used.path("histogram_bin").asText()).isEqualTo("1d");
        List<String> names = new ArrayList<>();
        used.path("steps").forEach(s -> names.add(s.path("name").asText()));
        assertThat(names).containsExactly("captured", "engaged", "attended", "signed_up", "converted");
    }

    // A statement of one event is merged into its lead's row (V14) instead of recomputing the lead: each case
    // the merge decides, and each it hands back to the recomputation (ties, refunds), ends with the row the raw
    // events define.

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

        assertRowsAreTheRawEvents();
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
        assertRowsAreTheRawEvents();
        Map<String, Object> row = Rows.row("SELECT ft_source, lt_source FROM analytics_leads");
        assertThat(row.get("ft_source")).isEqualTo("zoom");
        assertThat(row.get("lt_source")).isEqualTo("eventbrite");

        // A conversion alone, then a marketing event after it: the marketing event is the last touch.
        funnel.convert("cid", "user-cid", "2026-03-15T10:00:00Z");
        funnel.write(event("cid", ZOOM, EVENT_REGISTERED, "c1", "2026-03-14T10:00:00Z", NEWS));
        assertRowsAreTheRawEvents();
        assertThat(Rows.row("SELECT lt_source, lt_at FROM analytics_leads a JOIN leads l ON l.id = a.lead_id"
                + " WHERE l.email = 'cid@example.com'").get("lt_at").toString()).startsWith("2026-03-14");
    }

    @Test
    void aRefundWrittenAloneVoidsThePurchaseStoredBefore() {
        funnel.write(event("dee", EVENTBRITE, TICKET_PURCHASED, "o1", "2026-03-05T10:00:00Z", NEWS));
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(1L, 1L, 0L, 0L, 0L);
        funnel.write(event("dee", EVENTBRITE, TICKET_REFUNDED, "o1", "2026-03-06T10:00:00Z"));
        assertRowsAreTheRawEvents();
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
        assertRowsAreTheRawEvents();
        assertThat(Rows.number("SELECT cardinality(occurrences) FROM analytics_leads")).isEqualTo(9);
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(1L, 1L, 1L, 1L, 1L);
    }

    private static void assertRowsAreTheRawEvents() {
        assertThat(Rows.count("analytics_leads")).isEqualTo(Rows.count("analytics_leads_from_events")).isPositive();
        assertThat(Rows.number("SELECT count(*) FROM (SELECT * FROM analytics_leads"
                + " EXCEPT SELECT * FROM analytics_leads_from_events) d")).as("rows kept differ from rows derived").isZero();
    }
}
