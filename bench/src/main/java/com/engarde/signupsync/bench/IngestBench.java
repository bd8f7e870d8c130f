package com.engarde.signupsync.bench;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * Benchmarks of the funnel-events function, each against a baseline measured in the same run:
 * (a) single events through the Lambda handler in-process vs the same rows by plain JDBC single-row inserts;
 * (b) the batch endpoint's events/s. Each round measures all three; the figures are medians over the rounds, the
 * single-event ratio the median of each round's ratio. The function's cold start is ColdStartBench's, with every
 * other function's. Usage: bench/run.sh ingest [rounds] (default 3).
 */
public final class IngestBench {

    private static final int EVENTS = 10_000;
    private static final int BATCH_EVENTS = 50_000;
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        TestDatabase db = TestDatabase.get();
        System.out.printf("database: %s%n", db.embedded() ? "embedded PostgreSQL 16" : "SIGNUP_SYNC_TEST_DATABASE_URL");
        try (LambdaHarness lambda = new LambdaHarness(Map.of("engarde.database.pool-size", 2))) {
            // Warm-up for both paths, so the JIT does not decide the ratio: the handler path (routing, JSON,
            // the writer) takes ~10,000 calls to reach its steady state; the plain JDBC loop far fewer.
            db.truncate();
            jdbc(db, "warm", 10_000);
            handler(lambda, "warm", 10_000);
            batch(lambda, "warm-batch", 10_000);

            double[] jdbcRates = new double[rounds];
            double[] handlerRates = new double[rounds];
            double[] ratios = new double[rounds];
            double[] batchRates = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                db.truncate();
                jdbcRates[round] = jdbc(db, "r" + round, EVENTS);
                db.truncate();
                handlerRates[round] = handler(lambda, "r" + round, EVENTS);
                ratios[round] = handlerRates[round] / jdbcRates[round];
                db.truncate();
                batchRates[round] = batch(lambda, "b" + round, BATCH_EVENTS);
                System.out.printf("round %d: jdbc single-row inserts %.0f events/s, handler %.0f events/s (%.0f%%),"
                        + " batches of 500 %.0f events/s; %s%n", round + 1, jdbcRates[round], handlerRates[round],
                        100 * ratios[round], batchRates[round], LoadAverage.line());
            }
            System.out.printf("(a) ingest, %d events, median of %d rounds: plain JDBC %.0f events/s, funnel-events handler"
                    + " %.0f events/s, handler/jdbc = %.0f%% (median of the rounds' ratios; target >= 60%%)%n",
                    EVENTS, rounds, median(jdbcRates), median(handlerRates), 100 * median(ratios));
            System.out.printf("(b) batch ingest, %,d events in batches of 500, median of %d rounds: %.0f events/s"
                    + " (target >= 18,000)%n", BATCH_EVENTS, rounds, median(batchRates));
            System.out.println(LoadAverage.line());
        }
        System.exit(0);
    }

    private static String eventJson(String run, int i) {
        return "{\"source_type\":\"zoom\",\"event_type\":\"event_registered\",\"email\":\"person" + i + "-" + run
                + "@example.com\",\"first_name\":\"P\",\"external_id\":\"" + run + "-" + i + "\",\"occurred_at\":\""
                + BASE.plusSeconds(i) + "\",\"utm_source\":\"bench\",\"utm_campaign\":\"c" + (i % 10)
                + "\",\"event_data\":{\"webinar_id\":\"w1\"}}";
    }

    /** Baseline: per record, the lead row and the event row as plain single-row INSERTs, one commit each. */
    private static double jdbc(TestDatabase db, String run, int n) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement lead = c.prepareStatement(
                     "INSERT INTO leads (email, first_name) VALUES (?, ?) RETURNING id");
             PreparedStatement event = c.prepareStatement("INSERT INTO funnel_events (lead_id, source_type, event_type,"
                     + " external_id, occurred_at, utm_source, utm_campaign, event_data) VALUES (?, 'zoom', 'event_registered',"
                     + " ?, ?, 'bench', ?, '{\"webinar_id\":\"w1\"}'::jsonb)")) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                lead.setString(1, "person" + i + "-" + run + "-jdbc@example.com");
                lead.setString(2, "P");
                long id;
                try (ResultSet rs = lead.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                event.setLong(1, id);
                event.setString(2, run + "-jdbc-" + i);
                event.setTimestamp(3, Timestamp.from(BASE.plusSeconds(i)));
                event.setString(4, "c" + (i % 10));
                event.executeUpdate();
                c.commit();
            }
            return n / seconds(start);
        }
    }

    static double handler(LambdaHarness lambda, String run, int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            LambdaHarness.Response r = lambda.handle(LambdaHarness.request("POST", "/funnel/event", eventJson(run, i)));
            if (r.status() != 201) {
                throw new IllegalStateException("event " + i + " answered " + r.status() + ": " + r.body());
            }
        }
        return n / seconds(start);
    }

    static double batch(LambdaHarness lambda, String run, int n) {
        long start = System.nanoTime();
        for (int from = 0; from < n; from += 500) {
            StringBuilder body = new StringBuilder("{\"events\":[");
            for (int i = from; i < from + 500; i++) {
                body.append(i == from ? "" : ",").append(eventJson(run, i));
            }
            body.append("]}");
            LambdaHarness.Response r = lambda.handle(LambdaHarness.request("POST", "/funnel/events", body.toString()));
            if (r.status() != 200 || !r.body().startsWith("{\"created\":500,")) {
                throw new IllegalStateException("batch at " + from + " answered " + r.status());
            }
        }
        return n / seconds(start);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
