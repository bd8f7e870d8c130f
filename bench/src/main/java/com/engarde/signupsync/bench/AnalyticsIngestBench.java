package com.engarde.signupsync.bench;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;

import java.util.Map;

/**
 * What keeping the funnel analytics exact costs event ingest: the ingest benchmark's single-event and batch
 * paths through the funnel-events handler, with the analytics triggers on and off (ALTER TABLE ... DISABLE
 * TRIGGER), alternating rounds in one run so both see the same machine; medians over the rounds. Target: at most
 * 10% less throughput.
 * Usage: bench/run.sh AnalyticsIngestBench [rounds]
 */
public final class AnalyticsIngestBench {

    private static final int SINGLE = 5_000;
    private static final int BATCH = 25_000;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        TestDatabase db = TestDatabase.get();
        try (LambdaHarness lambda = new LambdaHarness(Map.of("engarde.database.pool-size", 2))) {
            db.truncate();
            IngestBench.handler(lambda, "warm", 10_000);
            IngestBench.batch(lambda, "warm-batch", 10_000);
            double[][] single = new double[2][rounds];
            double[][] batch = new double[2][rounds];
            for (int round = 1; round <= rounds; round++) {
                for (int on = 1; on >= 0; on--) {
                    analyticsTriggers(db, on == 1);
                    db.truncate();
                    double s = IngestBench.handler(lambda, "r" + round + "-" + on, SINGLE);
                    db.truncate();
                    double b = IngestBench.batch(lambda, "b" + round + "-" + on, BATCH);
                    System.out.printf("round %d, analytics %s: single events %.0f events/s, batches of 500 %.0f events/s%n",
                            round, on == 1 ? "on " : "off", s, b);
                    single[on][round - 1] = s;
                    batch[on][round - 1] = b;
                }
            }
            analyticsTriggers(db, true);
            db.truncate();
            System.out.println(LoadAverage.line());
            double singleOn = IngestBench.median(single[1]);
            double singleOff = IngestBench.median(single[0]);
            double batchOn = IngestBench.median(batch[1]);
            double batchOff = IngestBench.median(batch[0]);
            System.out.printf("single events (median of %d): %.0f events/s with analytics, %.0f without: %.1f%% less"
                    + " throughput (target <= 10%%)%n", rounds, singleOn, singleOff, 100 * (1 - singleOn / singleOff));
            System.out.printf("batches of 500 (median of %d): %.0f events/s with analytics, %.0f without: %.1f%% less"
                    + " throughput (target <= 10%%)%n", rounds, batchOn, batchOff, 100 * (1 - batchOn / batchOff));
        }
        System.exit(0);
    }

    private static void analyticsTriggers(TestDatabase db, boolean enabled) {
        String verb = enabled ? "ENABLE" : "DISABLE";
        for (String trigger : new String[] {"funnel_events_analytics_insert", "funnel_events_analytics_update",
                "funnel_events_analytics_delete"}) {
            db.execute("ALTER TABLE funnel_events " + verb + " TRIGGER " + trigger);
        }
    }
}
