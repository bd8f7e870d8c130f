package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.bus.LambdaHandler;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

import static com.engarde.signupsync.funnel.EventType.CONVERTED;
import static com.engarde.signupsync.funnel.EventType.EVENT_REGISTERED;
import static com.engarde.signupsync.funnel.SourceType.MANUAL;
import static com.engarde.signupsync.sources.zoom.ZoomIntegration.ZOOM;
import static com.engarde.signupsync.functions.funnelanalytics.FunnelFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The rollup's deltas are folded by the function's schedule, off the request path, as the manifest's rule delivers it. */
class ScheduledCompactionTest {

    private static LambdaHarness lambda;
    private static FunnelFixture funnel;

    @BeforeAll
    static void start() {
        lambda = new LambdaHarness(Map.of());
        funnel = new FunnelFixture(lambda);
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    @BeforeEach
    void clean() {
        TestDatabase.get().truncate();
    }

    @Test
    void theScheduledEventFoldsTheDeltasIntoTheRollup() throws Exception {
        funnel.write(event("ann", ZOOM, EVENT_REGISTERED, "a1", "2026-03-02T00:00:00Z"),
                event("bob", ZOOM, EVENT_REGISTERED, "b1", "2026-03-03T00:00:00Z"),
                event("bob", MANUAL, CONVERTED, "b2", "2026-03-04T00:00:00Z"));
        long deltas = Rows.number("SELECT count(*) FROM analytics_cohort_deltas");
        assertThat(deltas).as("the writes left deltas for the schedule").isPositive();
        long stages = Rows.number("SELECT coalesce(sum(leads * reach), 0) FROM analytics_cohort_deltas");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(LambdaHarness.eventsDir().resolve("eventbridge/scheduled-event.json"))) {
            new LambdaHandler(lambda.context()).handleRequest(in, out, null);
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Scheduled Event");
        assertThat(Rows.number("SELECT count(*) FROM analytics_cohort_deltas")).as("all folded").isZero();
        // A delta is one row per lead and key; the rollup keeps it at 2 grains x 2 attributions x 6 dimension sets.
        assertThat(Rows.number("SELECT coalesce(sum(leads * reach), 0) FROM analytics_cohort_counts"))
                .as("the rollup holds what the deltas held").isEqualTo(stages * 24);
        assertThat(Rows.number("SELECT coalesce(sum(leads), 0) FROM analytics_conversion_counts")).isPositive();
    }
}
