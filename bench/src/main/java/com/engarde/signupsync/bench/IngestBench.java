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
 * (b) the batch endpoint's events/s. The function's cold start is ColdStartBench's, with every other function's.
 */
public final class IngestBench {

    private static final int EVENTS = 10_000;
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        TestDatabase db = TestDatabase.get();
        System.out.printf("database: %s%n", db.embedded() ? "embedded PostgreSQL 16" : "SIGNUP_SYNC_TEST_DATABASE_URL");
        try (LambdaHarness lambda = new LambdaHarness(Map.of("engarde.database.pool-size", 2))) {
            // Warm-up for both paths, so the JIT does not decide the ratio: the handler path (routing, JSON,
            // the writer) takes ~10,000 calls to reach its steady state; the plain JDBC loop far fewer.
            db.truncate();
            jdbc(db, "warm", 10_000);
            handler(lambda, "warm", 10_000);
            batch(lambda, "warm-batch", 10_000);

            double jdbcBest = 0;
            double handlerBest = 0;
            for (int round = 1; round <= 3; round++) {
                db.truncate();
                double jdbcRate = jdbc(db, "r" + round, EVENTS);
                db.truncate();
                double handlerRate = handler(lambda, "r" + round, EVENTS);
                System.out.printf("round %d: jdbc single-row inserts %.0f events/s, handler %.0f events/s%n",
                        round, jdbcRate, handlerRate);
                jdbcBest = Math.max(jdbcBest, jdbcRate);
                handlerBest = Math.max(handlerBest, handlerRate);
            }
            System.out.printf("(a) ingest, %d events, best of 3: plain JDBC %.0f events/s, funnel-events handler %.0f events/s,"
                    + " ratio jdbc/handler = %.2f (target <= 2.0)%n", EVENTS, jdbcBest, handlerBest, jdbcBest / handlerBest);

            db.truncate();
            double batchRate = batch(lambda, "b", 50_000);
            System.out.printf("(b) batch ingest, 50,000 events in batches of 500: %.0f events/s (target >= 10,000);"
                    + " %.1fx the single-event handler rate%n", batchRate, batchRate / handlerBest);
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

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
