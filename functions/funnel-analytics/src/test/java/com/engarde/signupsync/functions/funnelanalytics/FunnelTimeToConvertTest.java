package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.analytics.FunnelAnalytics;
import com.engarde.signupsync.analytics.FunnelAnalytics.LeadTable;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.funnel.EventType.EVENT_REGISTERED;
import static com.engarde.signupsync.funnel.EventType.LEAD_CAPTURED;
import static com.engarde.signupsync.funnel.EventType.TICKET_PURCHASED;
import static com.engarde.signupsync.sources.eventbrite.EventbriteIntegration.EVENTBRITE;
import static com.engarde.signupsync.funnel.SourceType.MANUAL;
import static com.engarde.signupsync.sources.zoom.ZoomIntegration.ZOOM;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.event;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.group;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time to convert from the conversion rollup (V19) on hand-built data: each percentile's ranks are located in
 * their one-day duration buckets and read exactly, the histogram of whole-day bins is summed from the bucket
 * counts, and the buckets follow every write (a conversion undone, a late event moving a lead's cohort).
 */
@ExpectsWarnings("the conversion rollup disagrees with the lead rows")
class FunnelTimeToConvertTest {

    private static final String MARCH = "date_from=2026-03-01&date_to=2026-03-31";
    private static LambdaHarness lambda;
    private static FunnelFixture funnel;
    private static FunnelAnalytics analytics;
    private static ObjectMapper mapper;

    @BeforeAll
    static void start() {
        lambda = new LambdaHarness(Map.of("test.clock", "mutable"));
        funnel = new FunnelFixture(lambda);
        analytics = lambda.context().getBean(FunnelAnalytics.class);
        mapper = lambda.context().getBean(ObjectMapper.class);
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

    /** ann 12 h (zoom, bucket 0), bob exactly 24 h (eventbrite, bucket 1, not 0), cat 72 h (eventbrite, bucket 3). */
    private static void threeConversions() {
        funnel.write(event("ann", ZOOM, EVENT_REGISTERED, "a1", "2026-03-02T00:00:00Z"));
        funnel.write(event("bob", EVENTBRITE, TICKET_PURCHASED, "b1", "2026-03-02T00:00:00Z"));
        funnel.write(event("cat", EVENTBRITE, TICKET_PURCHASED, "c1", "2026-03-04T00:00:00Z"));
        funnel.convert("ann", "u-ann", "2026-03-02T12:00:00Z");
        funnel.convert("bob", "u-bob", "2026-03-03T00:00:00Z");
        funnel.convert("cat", "u-cat", "2026-03-07T00:00:00Z");
    }

    @Test
    void aPercentileAtABucketBoundaryIsTheExactValue() throws Exception {
        threeConversions();
        analytics.compact();
        assertThat(Rows.number("SELECT leads FROM analytics_conversion_counts WHERE grain = 'd' AND dims = 0"
                + " AND attribution = 'f' AND cohort_day = '2026-03-02' AND bucket = 1"))
                .as("24 h is the first hour of bucket 1").isEqualTo(1);

        JsonNode time = funnel.metrics(MARCH).path("total").path("time_to_convert");
        // 12, 24, 72 h: median rank 1 = 24 (in bucket 1, at its lower edge); p75 at 1.5 = 24 + 0.5 * 48 = 48;
        // p90 at 1.8 = 24 + 0.8 * 48 = 62.4.
        assertThat(time.path("median_hours").asDouble()).isEqualTo(24.0);
        assertThat(time.path("p75_hours").asDouble()).isEqualTo(48.0);
        assertThat(time.path("p90_hours").asDouble()).isEqualTo(62.4);
        assertThat(bins(time)).containsExactly("0.0-24.0:1", "24.0-48.0:1", "72.0-96.0:1");
        // Two-day bins from the same bucket counts; 6 h bins (not whole buckets) from the exact durations.
        assertThat(bins(funnel.metrics(MARCH + "&histogram_bin=2d").path("total").path("time_to_convert")))
                .containsExactly("0.0-48.0:2", "48.0-96.0:1");
        assertThat(bins(funnel.metrics(MARCH + "&histogram_bin=6h").path("total").path("time_to_convert")))
                .containsExactly("12.0-18.0:1", "24.0-30.0:1", "72.0-78.0:1");
        for (String q : List.of(MARCH, MARCH + "&histogram_bin=2d", MARCH + "&histogram_bin=6h&group_by=day",
                MARCH + "&group_by=week&attribution=last_touch", "date_from=2026-03-03&date_to=2026-04-30")) {
            assertThat(fast(q)).as(q).isEqualTo(naive(q));
        }
    }

    @Test
    void aGroupWithOneConvertedLeadHasThatLeadsDurationAtEveryPercentile() {
        threeConversions();
        JsonNode bySource = funnel.metrics(MARCH + "&group_by=source");
        JsonNode zoom = group(bySource, "zoom").path("time_to_convert");
        assertThat(List.of(zoom.path("median_hours").asDouble(), zoom.path("p75_hours").asDouble(),
                zoom.path("p90_hours").asDouble())).containsExactly(12.0, 12.0, 12.0);
        // eventbrite: 24 and 72 h: 48, 24 + 0.75 * 48 = 60, 24 + 0.9 * 48 = 67.2.
        JsonNode eventbrite = group(bySource, "eventbrite").path("time_to_convert");
        assertThat(List.of(eventbrite.path("median_hours").asDouble(), eventbrite.path("p75_hours").asDouble(),
                eventbrite.path("p90_hours").asDouble())).containsExactly(48.0, 60.0, 67.2);
        assertThat(bySource.path("total").path("time_to_convert").path("median_hours").asDouble()).isEqualTo(24.0);
        analytics.compact();
        assertThat(funnel.metrics(MARCH + "&group_by=source")).isEqualTo(bySource);
    }

    @Test
    void aRollupCountingADurationNoLeadHasIsAnsweredFromTheLeadRows() throws Exception {
        threeConversions();
        analytics.compact();
        String exact = naive(MARCH);
        // What only a write that bypassed the triggers could do: bob's 24 h counted in bucket 5, where no lead is.
        TestDatabase.get().execute("UPDATE analytics_conversion_counts SET bucket = 5 WHERE bucket = 1");
        // p75 and p90 interpolate towards rank 2, which the rollup now places in bucket 5: not a 500, the exact answer.
        assertThat(funnel.metrics(MARCH).path("total").path("time_to_convert").path("p90_hours").asDouble())
                .isEqualTo(62.4);
        assertThat(fast(MARCH)).isEqualTo(exact);
    }

    @Test
    void aConversionUndoneLeavesItsBucket() throws Exception {
        threeConversions();
        analytics.compact();
        // bob's conversion removed: 12 and 72 h remain, median 42; bucket 1 is empty before and after compaction.
        TestDatabase.get().execute("DELETE FROM funnel_events WHERE event_type = 'converted'"
                + " AND lead_id = (SELECT id FROM leads WHERE email = 'bob@example.com')");
        assertThat(Rows.number("SELECT count(*) FROM analytics_leads WHERE at_converted IS NOT NULL")).isEqualTo(2);
        assertThat(Rows.number("SELECT coalesce(sum(leads), 0) FROM analytics_cohort_deltas WHERE conversion_bucket = 0"))
                .as("bucket 0 deltas").isZero();
        assertThat(Rows.number("SELECT coalesce(sum(leads), 0) FROM analytics_cohort_deltas WHERE conversion_bucket = 1"))
                .as("bob leaves bucket 1").isEqualTo(-1);
        JsonNode time = funnel.metrics(MARCH).path("total").path("time_to_convert");
        assertThat(time.path("median_hours").asDouble()).isEqualTo(42.0);
        assertThat(bins(time)).containsExactly("0.0-24.0:1", "72.0-96.0:1");
        assertThat(fast(MARCH)).isEqualTo(naive(MARCH));
        analytics.compact();
        assertThat(Rows.number("SELECT count(*) FROM analytics_conversion_counts WHERE bucket = 1")).isZero();
        assertThat(funnel.metrics(MARCH).path("total").path("time_to_convert")).isEqualTo(time);
    }

    @Test
    void aLateEventMovesTheLeadsCohortAndItsBucket() throws Exception {
        funnel.write(event("dan", ZOOM, EVENT_REGISTERED, "d1", "2026-03-10T00:00:00Z"));
        funnel.convert("dan", "u-dan", "2026-03-12T00:00:00Z");
        analytics.compact();
        assertThat(funnel.metrics(MARCH).path("total").path("time_to_convert").path("median_hours").asDouble())
                .isEqualTo(48.0);

        // A backfilled capture on 5 March: dan's cohort is the 5th and he took 7 days (bucket 7, no longer 2).
        funnel.write(event("dan", MANUAL, LEAD_CAPTURED, "d0", "2026-03-05T00:00:00Z"));
        String late = "date_from=2026-03-08&date_to=2026-03-31";
        for (boolean compacted : new boolean[] {false, true}) {
            if (compacted) {
                analytics.compact();
            }
            JsonNode byDay = funnel.metrics(MARCH + "&group_by=day");
            assertThat(byDay.path("groups").findValuesAsText("key")).containsExactly("2026-03-05");
            assertThat(group(byDay, "2026-03-05").path("time_to_convert").path("median_hours").asDouble())
                    .isEqualTo(168.0);
            assertThat(bins(byDay.path("total").path("time_to_convert"))).containsExactly("168.0-192.0:1");
            assertThat(funnel.metrics(late).path("total").path("time_to_convert").has("median_hours")).isFalse();
            assertThat(fast(MARCH + "&group_by=day")).isEqualTo(naive(MARCH + "&group_by=day"));
        }
        assertThat(Rows.number("SELECT coalesce(sum(leads), 0) FROM analytics_conversion_counts WHERE bucket = 2")).isZero();
    }

    @Test
    void anEmptyRangeHasNoPercentilesAndAnEmptyHistogram() throws Exception {
        threeConversions();
        analytics.compact();
        String empty = "date_from=2026-05-01&date_to=2026-05-31&group_by=source";
        JsonNode answer = funnel.metrics(empty);
        assertThat(answer.path("total").path("conversions").asLong()).isZero();
        assertThat(answer.path("total").path("time_to_convert").has("median_hours")).isFalse();
        assertThat(answer.path("total").path("time_to_convert").path("histogram")).isEmpty();
        assertThat(answer.path("groups")).isEmpty();
        assertThat(fast(empty)).isEqualTo(naive(empty));
    }

    private static List<String> bins(JsonNode time) {
        List<String> bins = new ArrayList<>();
        time.path("histogram").forEach(b -> bins.add(b.path("from_hours").asDouble() + "-"
                + b.path("to_hours").asDouble() + ":" + b.path("leads").asLong()));
        return bins;
    }

    private static String fast(String query) throws Exception {
        return mapper.writeValueAsString(analytics.metrics(params(query), LeadTable.MAINTAINED));
    }

    private static String naive(String query) throws Exception {
        return mapper.writeValueAsString(analytics.metrics(params(query), LeadTable.RAW_EVENTS));
    }

    private static Map<String, List<String>> params(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), List.of(pair.substring(eq + 1)));
        }
        return params;
    }
}
