package com.engarde.signupsync.bench;

import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one event's database write goes (a profiling aid, not a benchmark): single events written by the funnel
 * writer with each trigger of the write path disabled in turn, against all of them on and all off, alternating
 * in rounds. The difference to "all on" is what that trigger costs a single-event write. Usage:
 * bench/run.sh WritePathProfile [events per setting] [rounds]
 */
public final class WritePathProfile {

    private static final String[][] TRIGGERS = {
            {"funnel_events", "funnel_events_touches"},
            {"funnel_events", "funnel_events_analytics_insert"},
            {"analytics_leads", "analytics_leads_cohorts_insert"},
            {"analytics_leads", "analytics_leads_cohorts_update"},
    };

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        TestDatabase db = TestDatabase.get();
        try (LambdaHarness lambda = new LambdaHarness()) {
            FunnelEventWriter writer = lambda.context().getBean(FunnelEventWriter.class);
            db.truncate();
            write(writer, "warm", 5_000);
            String[] settings = {"all on", "touches off", "analytics merge off", "cohort insert deltas off",
                    "cohort update deltas off", "all off"};
            double[][] rates = new double[settings.length][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < settings.length; s++) {
                    for (int t = 0; t < TRIGGERS.length; t++) {
                        boolean off = s == settings.length - 1 || s == t + 1;
                        db.execute("ALTER TABLE " + TRIGGERS[t][0] + (off ? " DISABLE" : " ENABLE") + " TRIGGER "
                                + TRIGGERS[t][1]);
                    }
                    db.truncate();
                    rates[s][round] = write(writer, "r" + round + "-" + s, events);
                }
            }
            for (String[] t : TRIGGERS) {
                db.execute("ALTER TABLE " + t[0] + " ENABLE TRIGGER " + t[1]);
            }
            db.truncate();
            double on = IngestBench.median(rates[0]);
            for (int s = 0; s < settings.length; s++) {
                double r = IngestBench.median(rates[s]);
                System.out.printf("%-26s %6.0f events/s, %5.0f us per event (%+.0f us against all on)%n", settings[s], r,
                        1e6 / r, 1e6 / r - 1e6 / on);
            }
            System.out.println(LoadAverage.line());
        }
        System.exit(0);
    }

    private static double write(FunnelEventWriter writer, String run, int n) {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            NewFunnelEvent event = new NewFunnelEvent(SourceType.MANUAL, EventType.EVENT_REGISTERED, run + "-" + i,
                    base.plusSeconds(i), new Person("p" + i + "-" + run + "@example.com", "P", null, null),
                    new Utm("bench", null, "c" + (i % 10), null, null), JsonNodeFactory.instance.objectNode().put("w", "1"));
            writer.write(List.of(event));
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
