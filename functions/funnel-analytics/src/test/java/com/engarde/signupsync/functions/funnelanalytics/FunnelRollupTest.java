package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.analytics.FunnelAnalytics;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.persistence.Database;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.engarde.signupsync.funnel.EventType.EVENT_ATTENDED;
import static com.engarde.signupsync.funnel.EventType.EVENT_REGISTERED;
import static com.engarde.signupsync.funnel.EventType.LEAD_CAPTURED;
import static com.engarde.signupsync.funnel.EventType.SIGNUP_COMPLETED;
import static com.engarde.signupsync.funnel.EventType.TICKET_PURCHASED;
import static com.engarde.signupsync.funnel.EventType.TICKET_REFUNDED;
import static com.engarde.signupsync.sources.eventbrite.EventbriteIntegration.EVENTBRITE;
import static com.engarde.signupsync.funnel.SourceType.MANUAL;
import static com.engarde.signupsync.sources.zoom.ZoomIntegration.ZOOM;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.event;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.group;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.stageCounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cohort rollup (V17) on hand-built data: questions without window or exclusion are answered from its
 * counts, the counts follow every write (late events moving cohorts, refunds, deletes, updates), and compaction
 * changes nothing in the answers and is idempotent.
 */
class FunnelRollupTest {

    private static final String MARCH = "date_from=2026-03-01&date_to=2026-03-31";
    private static final Utm NEWS = new Utm("news", "email", "spring", null, null);
    private static LambdaHarness lambda;
    private static FunnelFixture funnel;
    private static FunnelAnalytics analytics;

    @BeforeAll
    static void start() {
        lambda = new LambdaHarness(Map.of("test.clock", "mutable"));
        funnel = new FunnelFixture(lambda);
        analytics = lambda.context().getBean(FunnelAnalytics.class);
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
    void theReachKeyHoldsHowFarTheLeadGotInEitherOrder() {
        // ann: captured 2 Mar, registered, attended 4 Mar, converted 5 Mar 10:00, signed up 5 Mar 11:00. Any
        // order: all 5 stages. Sequential: signed up after converting stops her at signed up, 4. Converted: 1.
        funnel.write(event("ann", ZOOM, LEAD_CAPTURED, "a0", "2026-03-02T10:00:00Z"),
                event("ann", ZOOM, EVENT_REGISTERED, "a1", "2026-03-02T11:00:00Z"),
                event("ann", ZOOM, EVENT_REGISTERED, "a2", "2026-03-03T11:00:00Z"),
                event("ann", ZOOM, EVENT_ATTENDED, "a1", "2026-03-04T11:00:00Z"),
                event("ann", MANUAL, SIGNUP_COMPLETED, "a3", "2026-03-05T11:00:00Z"));
        funnel.convert("ann", "u-ann", "2026-03-05T10:00:00Z");
        long expected = 16 * 5 + 2 * 4 + 1;

        assertThat(Rows.number("SELECT sum(leads) FROM analytics_cohort_deltas WHERE reach = ?", expected)).isEqualTo(1);
        assertThat(Rows.number("SELECT sum(leads) FROM analytics_cohort_deltas WHERE reach <> ?", expected))
                .as("the keys ann had before her last write were taken back").isZero();
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(1L, 1L, 1L, 1L, 1L);
        assertThat(stageCounts(funnel.metrics(MARCH + "&order=sequential").path("total")))
                .containsExactly(1L, 1L, 1L, 1L, 0L);
        // Custom stages are read from the lead rows: the same rule.
        assertThat(stageCounts(funnel.metrics(MARCH + "&order=sequential&steps=any,signup_completed,converted")
                .path("total"))).containsExactly(1L, 1L, 0L);
        analytics.compact();
        assertThat(Rows.number("SELECT leads FROM analytics_cohort_counts WHERE grain = 'm' AND dims = 9"
                + " AND attribution = 'l' AND cohort_day = '2026-03-01' AND source = 'manual' AND reach = ?", expected))
                .as("her last touch is the sign-up, by hand").isEqualTo(1);
        assertThat(stageCounts(funnel.metrics(MARCH + "&order=sequential").path("total")))
                .containsExactly(1L, 1L, 1L, 1L, 0L);
    }

    @Test
    void compactionFoldsTheDeltasChangesNoAnswerAndIsIdempotent() {
        funnel.write(event("bob", ZOOM, EVENT_REGISTERED, "b1", "2026-03-02T10:00:00Z", NEWS),
                event("bob", ZOOM, EVENT_ATTENDED, "b1", "2026-03-03T10:00:00Z"));
        funnel.write(event("cat", EVENTBRITE, TICKET_PURCHASED, "c1", "2026-03-02T12:00:00Z"));
        funnel.write(event("dan", MANUAL, LEAD_CAPTURED, "d1", "2026-03-09T12:00:00Z", NEWS));
        funnel.convert("bob", "u-bob", "2026-03-06T10:00:00Z");
        String[] questions = {MARCH, MARCH + "&group_by=source", MARCH + "&group_by=utm_campaign",
                MARCH + "&group_by=day&attribution=last_touch", MARCH + "&source_type=zoom&utm_campaign=spring",
                MARCH + "&group_by=week&order=sequential"};
        List<JsonNode> before = answers(questions);
        assertThat(stageCounts(before.get(0).path("total"))).containsExactly(3L, 2L, 1L, 0L, 0L);
        assertThat(before.get(0).path("total").path("conversions").asLong()).isEqualTo(1);
        assertThat(stageCounts(group(before.get(1), "zoom"))).containsExactly(1L, 1L, 1L, 0L, 0L);
        assertThat(stageCounts(group(before.get(2), "spring"))).containsExactly(2L, 1L, 1L, 0L, 0L);
        assertThat(stageCounts(group(before.get(2), "(none)"))).containsExactly(1L, 1L, 0L, 0L, 0L);
        assertThat(stageCounts(before.get(4).path("total"))).containsExactly(1L, 1L, 1L, 0L, 0L);
        long deltas = Rows.count("analytics_cohort_deltas");
        assertThat(deltas).isPositive();

        assertThat(analytics.compact()).isEqualTo(deltas);
        assertThat(Rows.count("analytics_cohort_deltas")).isZero();
        // Per grain, attribution and dimension set, one row per key: bob (reach 16 * 3 + 2 * 3 + 1) and cat
        // (16 * 2 + 2 * 2) on the 2nd, dan (16 + 2) on the 9th: three day rows and three March rows.
        assertThat(Rows.number("SELECT count(*) FROM analytics_cohort_counts WHERE attribution = 'f' AND dims = 0"
                + " AND grain = 'd'")).isEqualTo(3);
        assertThat(Rows.number("SELECT sum(reach * leads) FROM analytics_cohort_counts WHERE attribution = 'f'"
                + " AND dims = 0 AND grain = 'm' AND cohort_day = '2026-03-01'")).isEqualTo(55 + 36 + 18);
        assertThat(answers(questions)).isEqualTo(before);
        String snapshot = "SELECT count(*) FROM (SELECT * FROM analytics_cohort_counts) c";
        long rows = Rows.number(snapshot);

        assertThat(analytics.compact()).as("nothing left to fold").isZero();
        assertThat(Rows.number(snapshot)).isEqualTo(rows);
        assertThat(Rows.number("SELECT count(*) FROM (SELECT * FROM analytics_cohort_counts EXCEPT ALL"
                + " SELECT * FROM analytics_cohort_counts) d")).isZero();
        assertThat(answers(questions)).isEqualTo(before);
    }

    @Test
    void aWholeDayWindowCountsFromTheWindowRollupExactlyAtItsEdge() {
        // hal: registered 2 Mar 10:00, attended exactly 3 days later; ivy: attended 3 days and one second later.
        funnel.write(event("hal", ZOOM, EVENT_REGISTERED, "h1", "2026-03-02T10:00:00Z"),
                event("hal", ZOOM, EVENT_ATTENDED, "h1", "2026-03-05T10:00:00Z"));
        funnel.write(event("ivy", ZOOM, EVENT_REGISTERED, "i1", "2026-03-02T10:00:00Z"),
                event("ivy", ZOOM, EVENT_ATTENDED, "i1", "2026-03-05T10:00:01Z"));
        funnel.convert("hal", "u-hal", "2026-03-05T10:00:00Z");
        String threeDays = MARCH + "&window=3d&group_by=source";
        JsonNode before = funnel.metrics(threeDays);
        assertThat(stageCounts(before.path("total"))).containsExactly(2L, 2L, 1L, 0L, 0L);
        assertThat(before.path("total").path("conversions").asLong()).isEqualTo(1);
        assertThat(stageCounts(funnel.metrics(MARCH + "&window=4d").path("total"))).containsExactly(2L, 2L, 2L, 0L, 0L);
        JsonNode trends = funnel.ok("/analytics/funnel-trends", MARCH + "&window=3d&steps=any,event_attended&interval=month");
        assertThat(trends.path("periods").get(0).path("completed").asLong()).isEqualTo(1);
        assertThat(funnel.ok("/analytics/funnel-trends", MARCH + "&window=3d&interval=month").path("periods").get(0)
                .path("entered").asLong()).as("from the rollups").isEqualTo(2);
        assertThat(Rows.number("SELECT count(*) FROM analytics_cohort_deltas WHERE window_buckets IS NULL")).isZero();

        analytics.compact();
        assertThat(Rows.number("SELECT sum(leads) FROM analytics_window_counts WHERE grain = 'd' AND attribution = 'f'"
                + " AND dims = 0 AND stage = 3 AND bucket = 3")).as("hal attended within 3 days").isEqualTo(1);
        assertThat(funnel.metrics(threeDays)).isEqualTo(before);
        // A late, earlier capture moves hal's first touch a day back: his attendance is now 4 days after it.
        funnel.write(event("hal", MANUAL, LEAD_CAPTURED, "h0", "2026-03-01T10:00:00Z"));
        assertThat(stageCounts(funnel.metrics(MARCH + "&window=3d").path("total"))).containsExactly(2L, 2L, 0L, 0L, 0L);
        assertThat(funnel.metrics(MARCH + "&window=3d").path("total").path("conversions").asLong()).isZero();
    }

    @Test
    void aLateEarlierEventMovesTheLeadToItsNewCohortDayThroughCompaction() {
        funnel.write(event("eve", ZOOM, EVENT_REGISTERED, "e1", "2026-03-10T10:00:00Z"));
        analytics.compact();
        assertThat(funnel.metrics(MARCH + "&group_by=day").path("groups").findValuesAsText("key"))
                .containsExactly("2026-03-10");

        // A backfilled capture on 2 March: eve's cohort day is now the 2nd, read from the rollup plus a delta
        // taking her out of the 10th; the 10th's group disappears (it nets to zero), before and after compaction.
        funnel.write(event("eve", MANUAL, LEAD_CAPTURED, "e0", "2026-03-02T10:00:00Z"));
        JsonNode moved = funnel.metrics(MARCH + "&group_by=day");
        assertThat(moved.path("groups").findValuesAsText("key")).containsExactly("2026-03-02");
        assertThat(stageCounts(group(moved, "2026-03-02"))).containsExactly(1L, 1L, 0L, 0L, 0L);
        assertThat(funnel.metrics("date_from=2026-03-05&date_to=2026-03-31").path("total").path("leads").asLong())
                .isZero();
        analytics.compact();
        assertThat(funnel.metrics(MARCH + "&group_by=day")).isEqualTo(moved);
        assertThat(Rows.number("SELECT count(*) FROM analytics_cohort_counts WHERE cohort_day = '2026-03-10'")).isZero();
    }

    @Test
    void aRefundADeleteAndAnUpdateReachTheRollup() {
        funnel.write(event("fay", EVENTBRITE, TICKET_PURCHASED, "f1", "2026-03-02T10:00:00Z", NEWS));
        funnel.write(event("gus", ZOOM, EVENT_REGISTERED, "g1", "2026-03-03T10:00:00Z"));
        analytics.compact();
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(2L, 2L, 0L, 0L, 0L);

        // fay's ticket refunded: she no longer reached engaged.
        funnel.write(event("fay", EVENTBRITE, TICKET_REFUNDED, "f1", "2026-03-04T10:00:00Z"));
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(2L, 1L, 0L, 0L, 0L);

        // gus's only event deleted: he leaves the funnel.
        TestDatabase.get().execute("DELETE FROM funnel_events WHERE external_id = 'g1'");
        assertThat(stageCounts(funnel.metrics(MARCH).path("total"))).containsExactly(1L, 0L, 0L, 0L, 0L);

        // A sync changes the campaign of fay's purchase (her first touch): she moves to the new campaign's group.
        Database database = lambda.context().getBean(Database.class);
        FunnelEventWriter writer = lambda.context().getBean(FunnelEventWriter.class);
        database.transaction(c -> writer.upsert(c, List.of(event("fay", EVENTBRITE, TICKET_PURCHASED, "f1",
                "2026-03-02T10:00:00Z", new Utm("news", "email", "autumn", null, null)))));
        JsonNode campaigns = funnel.metrics(MARCH + "&group_by=utm_campaign");
        assertThat(campaigns.path("groups").findValuesAsText("key")).containsExactly("autumn");
        analytics.compact();
        assertThat(funnel.metrics(MARCH + "&group_by=utm_campaign")).isEqualTo(campaigns);
        assertThat(Rows.number("SELECT coalesce(sum(leads), 0) FROM analytics_cohort_counts WHERE dims = 0 AND grain = 'd'"))
                .as("one lead per attribution").isEqualTo(2);
    }

    @Test
    void compactionRacingWithIngestLosesNoLead() throws Exception {
        // Four writers add leads (one event per call, merged by V14) while two threads keep compacting; after
        // a last compaction the rollup holds exactly the leads written.
        Race.run(6, i -> () -> {
            if (i >= 4) {
                for (int k = 0; k < 15; k++) {
                    analytics.compact();
                }
                return null;
            }
            for (int k = 0; k < 10; k++) {
                funnel.write(event("w" + i + "-" + k, ZOOM, k % 2 == 0 ? LEAD_CAPTURED : EVENT_REGISTERED,
                        "x" + i + "-" + k, "2026-03-0" + (1 + k % 5) + "T10:00:00Z"));
            }
            return null;
        });
        JsonNode racing = funnel.metrics(MARCH + "&group_by=day");
        assertThat(racing.path("total").path("leads").asLong()).isEqualTo(40);
        assertThat(stageCounts(racing.path("total"))).containsExactly(40L, 20L, 0L, 0L, 0L);
        analytics.compact();
        assertThat(Rows.count("analytics_cohort_deltas")).isZero();
        assertThat(funnel.metrics(MARCH + "&group_by=day")).isEqualTo(racing);
    }

    private static List<JsonNode> answers(String... questions) {
        List<JsonNode> answers = new ArrayList<>();
        for (String q : questions) {
            answers.add(funnel.metrics(q));
        }
        return answers;
    }
}
