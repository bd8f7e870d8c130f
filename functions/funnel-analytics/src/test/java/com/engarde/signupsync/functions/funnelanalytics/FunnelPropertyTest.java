package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.sources.poshvip.PoshIntegration;
import com.engarde.signupsync.sources.eventbrite.EventbriteIntegration;
import com.engarde.signupsync.sources.zoom.ZoomIntegration;
import com.engarde.signupsync.sources.easyappointments.EasyAppointmentsIntegration;
import com.engarde.signupsync.analytics.FunnelAnalytics;
import com.engarde.signupsync.analytics.FunnelAnalytics.LeadTable;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.testing.ConsoleLinesCheck;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On random data written the way production writes it (API batches in any order with duplicates and late older
 * events, sync upserts that change UTM, refunds and cancellations of earlier records, conversions), the rows the
 * triggers keep equal the rows derived from the raw events, and every question answered from them equals the
 * naive answer computed from the raw events at request time.
 */
class FunnelPropertyTest {

    private static final EventType[] TYPES = EventType.values();
    private static final SourceType[] SOURCES = {ZoomIntegration.ZOOM, EventbriteIntegration.EVENTBRITE, PoshIntegration.POSHVIP,
            EasyAppointmentsIntegration.EASYAPPOINTMENTS, SourceType.MANUAL};
    private static final String[] GROUPS = {"none", "source", "utm_source", "utm_medium", "utm_campaign", "day", "week",
            "month"};
    private static final String[] WINDOWS = {null, null, null, null, "1h", "1d", "3d", "2w"};
    private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

    private static LambdaHarness lambda;
    private static FunnelFixture funnel;
    private static FunnelAnalytics analytics;
    private static ObjectMapper mapper;

    @BeforeContainer
    static void start() {
        ConsoleLinesCheck.start();
        lambda = new LambdaHarness(Map.of("test.clock", "mutable"));
        funnel = new FunnelFixture(lambda);
        analytics = lambda.context().getBean(FunnelAnalytics.class);
        mapper = lambda.context().getBean(ObjectMapper.class);
    }

    @AfterContainer
    static void stop() {
        lambda.close();
        ConsoleLinesCheck.checkPrinted();
    }

    @BeforeTry
    void clean() {
        TestDatabase.get().truncate();
        TestClock.INSTANCE.set(Instant.parse("2026-03-20T00:00:00Z"));
    }

    @Property(tries = 40, seed = "11")
    void theFastPathAnswersExactlyWhatTheRawEventsAnswer(@ForAll @IntRange(min = 1, max = 60) int events,
                                                         @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        List<NewFunnelEvent> all = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            all.add(randomEvent(random));
        }
        Collections.shuffle(all, random);
        FunnelEventWriter writer = lambda.context().getBean(FunnelEventWriter.class);
        Database database = lambda.context().getBean(Database.class);
        for (int from = 0; from < all.size(); ) {
            // Half the writes are single events (merged into their lead's row, V14), half batches (recomputed).
            int to = Math.min(all.size(), from + 1 + (random.nextBoolean() ? 0 : random.nextInt(8)));
            List<NewFunnelEvent> batch = new ArrayList<>(all.subList(from, to));
            if (random.nextInt(4) == 0) {
                batch.add(batch.get(0));
            }
            if (random.nextBoolean()) {
                writer.write(batch);
            } else {
                database.transaction(c -> writer.upsert(c, batch));
            }
            // The rollup's compaction runs between writes at random, as the schedule or a read would.
            if (random.nextInt(4) == 0) {
                analytics.compact();
            }
            // Now and then a person's events erased in one statement, as an erasure does; later writes may
            // bring the same person back (a late record), with compaction in between or not.
            if (random.nextInt(8) == 0) {
                TestDatabase.get().execute("DELETE FROM funnel_events WHERE lead_id = (SELECT id FROM leads"
                        + " WHERE email = 'p" + random.nextInt(6) + "@example.com')");
                if (random.nextBoolean()) {
                    analytics.compact();
                }
            }
            from = to;
        }
        // A few events deleted (a lead may leave the funnel, or lose its first touch and move cohort).
        for (int k = events > 3 ? random.nextInt(3) : 0; k > 0; k--) {
            TestDatabase.get().execute("DELETE FROM funnel_events WHERE id = (SELECT id FROM funnel_events ORDER BY id"
                    + " OFFSET " + random.nextInt(events) + " LIMIT 1)");
        }
        for (int lead = 0; lead < 6; lead++) {
            if (random.nextInt(3) == 0) {
                // Some at a whole number of days from BASE, where many first touches are: bucket edges (V19).
                long at = random.nextBoolean() ? random.nextInt(20) * 86400L : random.nextInt(20 * 86400);
                funnel.convert("p" + lead, "user-" + lead, BASE.plusSeconds(at).toString());
                if (random.nextInt(3) == 0) {
                    analytics.compact();
                }
            }
        }
        // Now and then a conversion undone: the lead leaves its duration bucket.
        if (random.nextInt(4) == 0) {
            TestDatabase.get().execute("DELETE FROM funnel_events WHERE id = (SELECT min(id) FROM funnel_events"
                    + " WHERE event_type = 'converted')");
        }

        long rows = Rows.count("analytics_leads");
        assertThat(rows).isPositive();
        assertThat(Rows.count("analytics_leads_from_events")).isEqualTo(rows);
        assertThat(Rows.number("SELECT count(*) FROM (SELECT * FROM analytics_leads"
                + " EXCEPT SELECT * FROM analytics_leads_from_events) d")).as("rows kept differ from rows derived").isZero();

        if (random.nextBoolean()) {
            analytics.compact();
        }
        assertThat(Rows.number(ROLLUP_DIFFERENCE)).as("rollup differs from the lead rows").isZero();
        assertThat(Rows.number(CONVERSION_ROLLUP_DIFFERENCE)).as("conversion rollup differs from the lead rows").isZero();
        assertThat(Rows.number(WINDOW_ROLLUP_DIFFERENCE)).as("window rollup differs from the lead rows").isZero();

        int compared = 0;
        for (int q = 0; q < 8; q++) {
            Map<String, List<String>> params = randomQuestion(random);
            assertThat(json(analytics.metrics(params, LeadTable.MAINTAINED))).as(params.toString())
                    .isEqualTo(json(analytics.metrics(params, LeadTable.RAW_EVENTS)));
            Map<String, List<String>> trend = new LinkedHashMap<>(params);
            trend.remove("group_by");
            trend.remove("histogram_bin");
            trend.put("interval", List.of(random.nextBoolean() ? "day" : "week"));
            assertThat(json(analytics.trends(trend, LeadTable.MAINTAINED))).as(trend.toString())
                    .isEqualTo(json(analytics.trends(trend, LeadTable.RAW_EVENTS)));
            Map<String, List<String>> leads = new LinkedHashMap<>(params);
            leads.remove("group_by");
            leads.remove("histogram_bin");
            leads.put("stage", List.of("1"));
            leads.put("status", List.of(random.nextBoolean() ? "reached" : "dropped"));
            leads.put("limit", List.of("3"));
            assertThat(json(analytics.leads(leads, LeadTable.MAINTAINED))).as(leads.toString())
                    .isEqualTo(json(analytics.leads(leads, LeadTable.RAW_EVENTS)));
            compared++;
        }
        assertThat(compared).isEqualTo(8);
    }

    /**
     * First and last touch, kept by the touch trigger (a statement of one event by a primary-key update, V34; of
     * several by V1's set-based update), equal the earliest and latest marketing event of each lead, ties broken
     * by event id, whatever order and grouping the events arrive in.
     */
    @Property(tries = 30, seed = "29")
    void touchesAreTheEarliestAndLatestEvents(@ForAll @IntRange(min = 1, max = 40) int events, @ForAll long seed) {
        Random random = new Random(seed);
        List<NewFunnelEvent> all = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            all.add(randomEvent(random));
        }
        Collections.shuffle(all, random);
        FunnelEventWriter writer = lambda.context().getBean(FunnelEventWriter.class);
        int statements = 0;
        for (int from = 0; from < all.size(); statements++) {
            int to = Math.min(all.size(), from + 1 + (random.nextBoolean() ? 0 : random.nextInt(6)));
            List<NewFunnelEvent> batch = new ArrayList<>(all.subList(from, to));
            if (random.nextInt(4) == 0) {
                batch.add(batch.get(0));
            }
            writer.write(batch);
            from = to;
        }
        assertThat(statements).isPositive();
        assertThat(Rows.number("SELECT count(*) FROM leads WHERE first_touch_at IS NOT NULL")).isPositive();
        assertThat(Rows.number(TOUCH_DIFFERENCE)).as("touches differ from the events").isZero();
    }

    /** Leads whose first or last touch is not their earliest or latest marketing event (by time, then id). */
    private static final String TOUCH_DIFFERENCE = """
            SELECT count(*) FROM leads l
            LEFT JOIN LATERAL (SELECT * FROM funnel_events e WHERE e.lead_id = l.id AND e.event_type <> 'converted'
                               ORDER BY e.occurred_at, e.id LIMIT 1) f ON true
            LEFT JOIN LATERAL (SELECT * FROM funnel_events e WHERE e.lead_id = l.id AND e.event_type <> 'converted'
                               ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) t ON true
            WHERE (l.first_touch_event_id, l.first_touch_source, l.first_touch_at, l.first_touch_utm_source,
                   l.first_touch_utm_medium, l.first_touch_utm_campaign, l.first_touch_utm_term, l.first_touch_utm_content)
                  IS DISTINCT FROM (f.id, f.source_type, f.occurred_at, f.utm_source, f.utm_medium, f.utm_campaign,
                                    f.utm_term, f.utm_content)
               OR (l.last_touch_event_id, l.last_touch_source, l.last_touch_at, l.last_touch_utm_source,
                   l.last_touch_utm_medium, l.last_touch_utm_campaign, l.last_touch_utm_term, l.last_touch_utm_content)
                  IS DISTINCT FROM (t.id, t.source_type, t.occurred_at, t.utm_source, t.utm_medium, t.utm_campaign,
                                    t.utm_term, t.utm_content)
            """;

    /**
     * Keys (day, attribution, dimension set, dimensions, stage key) whose lead count in the rollup (compacted rows
     * plus deltas) differs from the count of the lead rows, in either direction.
     */
    private static final String ROLLUP_DIFFERENCE = """
            WITH touches AS (
                SELECT (cohort_at AT TIME ZONE 'UTC')::date AS day, t.*,
                       analytics_reach_key(l) AS k, 1::bigint AS leads
                FROM analytics_leads l
                CROSS JOIN LATERAL (VALUES ('f', ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign),
                                           ('l', lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign)) t(a, s, us, um, uc)),
            deltas AS (
                SELECT cohort_day AS day, t.*, reach AS k, leads
                FROM analytics_cohort_deltas
                CROSS JOIN LATERAL (VALUES ('f', ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign),
                                           ('l', lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign)) t(a, s, us, um, uc)),
            dims(m) AS (VALUES (0), (1), (2), (4), (8), (9)),
            grains(grain) AS (VALUES ('d'), ('m')),
            expected AS (
                SELECT grain, CASE grain WHEN 'm' THEN date_trunc('month', day::timestamp)::date ELSE day END, a, m,
                       CASE WHEN m & 1 <> 0 THEN s END, CASE WHEN m & 2 <> 0 THEN us END,
                       CASE WHEN m & 4 <> 0 THEN um END, CASE WHEN m & 8 <> 0 THEN uc END, k, sum(leads)::bigint AS n
                FROM touches CROSS JOIN dims CROSS JOIN grains GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9),
            actual AS (
                SELECT grain, day, a, m, s, us, um, uc, k, sum(n)::bigint AS n FROM (
                    SELECT grain::text, cohort_day AS day, attribution::text AS a, dims::int AS m, source AS s,
                           utm_source AS us, utm_medium AS um, utm_campaign AS uc, reach AS k, leads AS n
                    FROM analytics_cohort_counts
                    UNION ALL
                    SELECT grain, CASE grain WHEN 'm' THEN date_trunc('month', day::timestamp)::date ELSE day END, a, m,
                           CASE WHEN m & 1 <> 0 THEN s END, CASE WHEN m & 2 <> 0 THEN us END,
                           CASE WHEN m & 4 <> 0 THEN um END, CASE WHEN m & 8 <> 0 THEN uc END, k, leads
                    FROM deltas CROSS JOIN dims CROSS JOIN grains) x
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING sum(n) <> 0)
            SELECT count(*) FROM ((SELECT * FROM expected EXCEPT SELECT * FROM actual)
                                  UNION ALL (SELECT * FROM actual EXCEPT SELECT * FROM expected)) d
            """;

    /** The same for the conversion rollup (V19): converted leads per key and duration bucket. */
    private static final String CONVERSION_ROLLUP_DIFFERENCE = """
            WITH touches AS (
                SELECT (cohort_at AT TIME ZONE 'UTC')::date AS day, t.*,
                       analytics_conversion_bucket(cohort_at, at_converted) AS k, 1::bigint AS leads
                FROM analytics_leads l
                CROSS JOIN LATERAL (VALUES ('f', ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign),
                                           ('l', lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign)) t(a, s, us, um, uc)
                WHERE at_converted IS NOT NULL),
            deltas AS (
                SELECT cohort_day AS day, t.*, conversion_bucket AS k, leads
                FROM analytics_cohort_deltas
                CROSS JOIN LATERAL (VALUES ('f', ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign),
                                           ('l', lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign)) t(a, s, us, um, uc)
                WHERE conversion_bucket IS NOT NULL),
            dims(m) AS (VALUES (0), (1), (2), (4), (8), (9)),
            grains(grain) AS (VALUES ('d'), ('m')),
            expected AS (
                SELECT grain, CASE grain WHEN 'm' THEN date_trunc('month', day::timestamp)::date ELSE day END, a, m,
                       CASE WHEN m & 1 <> 0 THEN s END, CASE WHEN m & 2 <> 0 THEN us END,
                       CASE WHEN m & 4 <> 0 THEN um END, CASE WHEN m & 8 <> 0 THEN uc END, k, sum(leads)::bigint AS n
                FROM touches CROSS JOIN dims CROSS JOIN grains GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9),
            actual AS (
                SELECT grain, day, a, m, s, us, um, uc, k, sum(n)::bigint AS n FROM (
                    SELECT grain::text, cohort_day AS day, attribution::text AS a, dims::int AS m, source AS s,
                           utm_source AS us, utm_medium AS um, utm_campaign AS uc, bucket AS k, leads AS n
                    FROM analytics_conversion_counts
                    UNION ALL
                    SELECT grain, CASE grain WHEN 'm' THEN date_trunc('month', day::timestamp)::date ELSE day END, a, m,
                           CASE WHEN m & 1 <> 0 THEN s END, CASE WHEN m & 2 <> 0 THEN us END,
                           CASE WHEN m & 4 <> 0 THEN um END, CASE WHEN m & 8 <> 0 THEN uc END, k, leads
                    FROM deltas CROSS JOIN dims CROSS JOIN grains) x
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING sum(n) <> 0)
            SELECT count(*) FROM ((SELECT * FROM expected EXCEPT SELECT * FROM actual)
                                  UNION ALL (SELECT * FROM actual EXCEPT SELECT * FROM expected)) d
            """;

    /**
     * The same for the window rollup (V36): leads per key, stage and window bucket, for the dimension sets it keeps
     * (none and source).
     */
    private static final String WINDOW_ROLLUP_DIFFERENCE = """
            WITH touches AS (
                SELECT (cohort_at AT TIME ZONE 'UTC')::date AS day, t.*, w.stage, w.bucket, 1::bigint AS leads
                FROM analytics_leads l
                CROSS JOIN LATERAL analytics_window_stages(analytics_reach_key(l), analytics_window_buckets(l)) w
                CROSS JOIN LATERAL (VALUES ('f', ft_source), ('l', lt_source)) t(a, s)),
            deltas AS (
                SELECT cohort_day AS day, t.*, w.stage, w.bucket, leads
                FROM analytics_cohort_deltas
                CROSS JOIN LATERAL analytics_window_stages(reach, window_buckets) w
                CROSS JOIN LATERAL (VALUES ('f', ft_source), ('l', lt_source)) t(a, s)),
            dims(m) AS (VALUES (0), (1)),
            grains(grain) AS (VALUES ('d'), ('m')),
            expected AS (
                SELECT grain, CASE grain WHEN 'm' THEN date_trunc('month', day::timestamp)::date ELSE day END, a, m,
                       CASE WHEN m & 1 <> 0 THEN s END, stage, bucket, sum(leads)::bigint AS n
                FROM touches CROSS JOIN dims CROSS JOIN grains GROUP BY 1, 2, 3, 4, 5, 6, 7),
            actual AS (
                SELECT grain, day, a, m, s, stage, bucket, sum(n)::bigint AS n FROM (
                    SELECT grain::text, cohort_day AS day, attribution::text AS a, dims::int AS m, source AS s,
                           stage, bucket, leads AS n
                    FROM analytics_window_counts
                    UNION ALL
                    SELECT grain, CASE grain WHEN 'm' THEN date_trunc('month', day::timestamp)::date ELSE day END, a, m,
                           CASE WHEN m & 1 <> 0 THEN s END, stage, bucket, leads
                    FROM deltas CROSS JOIN dims CROSS JOIN grains) x
                GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0)
            SELECT count(*) FROM ((SELECT * FROM expected EXCEPT SELECT * FROM actual)
                                  UNION ALL (SELECT * FROM actual EXCEPT SELECT * FROM expected)) d
            """;

    private static final String[] BINS = {"1h", "6h", "1d", "1d", "2d", "7d", "36h"};

    private static NewFunnelEvent randomEvent(Random random) {
        SourceType source = SOURCES[random.nextInt(SOURCES.length)];
        EventType type = TYPES[random.nextInt(TYPES.length - 1)];
        // Few external ids, so refunds and cancellations meet the purchases and bookings they undo.
        String externalId = "r" + random.nextInt(6);
        Instant at = BASE.plusSeconds(random.nextInt(3) == 0 ? -random.nextInt(10 * 86400) : random.nextInt(20 * 86400));
        if (random.nextInt(3) == 0) {
            // Whole days: conversions at whole days then sit exactly on a duration bucket's edge (V19).
            at = at.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        }
        Utm utm = random.nextBoolean() ? Utm.NONE : new Utm(random.nextBoolean() ? "news" : "ig",
                random.nextBoolean() ? null : "email", "c" + random.nextInt(3), null, null);
        return FunnelFixture.event("p" + random.nextInt(6), source, type, externalId, at.toString(), utm);
    }

    private static Map<String, List<String>> randomQuestion(Random random) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        // Some ranges cover whole months, which the rollup answers from its month rows.
        String[] from = {"2026-02-" + (18 + random.nextInt(10)), "2026-02-01", "2026-03-01"};
        String[] to = {"2026-03-" + (10 + random.nextInt(20)), "2026-03-31", "2026-04-30"};
        p.put("date_from", List.of(from[random.nextInt(from.length)]));
        p.put("date_to", List.of(to[random.nextInt(to.length)]));
        p.put("attribution", List.of(random.nextBoolean() ? "first_touch" : "last_touch"));
        p.put("group_by", List.of(GROUPS[random.nextInt(GROUPS.length)]));
        p.put("order", List.of(random.nextBoolean() ? "any" : "sequential"));
        String window = WINDOWS[random.nextInt(WINDOWS.length)];
        if (window != null) {
            p.put("window", List.of(window));
        }
        // Whole days are summed from the conversion rollup's buckets (V19), the others from the exact durations.
        p.put("histogram_bin", List.of(BINS[random.nextInt(BINS.length)]));
        // A third custom stages; of the default ones, three quarters without exclusion: with no window (half
        // the questions), those are the rollup's.
        if (random.nextInt(3) == 0) {
            p.put("steps", List.of("any,event_registered|ticket_purchased|appointment_booked,event_attended"));
            if (random.nextBoolean()) {
                p.put("exclude", List.of(random.nextBoolean() ? "ticket_refunded" : "appointment_cancelled,lead_captured"));
            }
        } else if (random.nextInt(4) == 0) {
            p.put("exclude", List.of("appointment_cancelled"));
        }
        if (random.nextInt(4) == 0) {
            p.put("source_type", List.of(SOURCES[random.nextInt(SOURCES.length)].id()));
        }
        if (random.nextInt(4) == 0) {
            p.put("utm_campaign", List.of("c" + random.nextInt(3)));
        }
        if (random.nextInt(6) == 0) {
            // With most breakdowns, a set of dimensions the rollup does not keep together: the lead rows answer.
            p.put("utm_source", List.of(random.nextBoolean() ? "news" : "ig"));
        }
        return p;
    }

    private static String json(Object report) throws Exception {
        return mapper.writeValueAsString(report);
    }
}
