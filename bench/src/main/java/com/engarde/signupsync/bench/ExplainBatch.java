package com.engarde.signupsync.bench;

import com.engarde.signupsync.testing.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** EXPLAIN ANALYZE of one batch of 500 new events written by write_funnel_events (a profiling aid). */
public final class ExplainBatch {

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        TestDatabase db = TestDatabase.get();
        db.truncate();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (int round = 0; round < 3; round++) {
                String args14 = "ARRAY(SELECT 'p' || g || '-R@example.com' FROM generate_series(1, #N) g), "
                        + "array_fill('P'::text, ARRAY[#N]), array_fill(NULL::text, ARRAY[#N]), array_fill(NULL::text, ARRAY[#N]), "
                        + "array_fill('zoom'::text, ARRAY[#N]), array_fill('event_registered'::text, ARRAY[#N]), "
                        + "ARRAY(SELECT 'R-' || g FROM generate_series(1, #N) g), "
                        + "ARRAY(SELECT timestamptz '2026-01-01' + g * interval '1 second' FROM generate_series(1, #N) g), "
                        + "array_fill('bench'::text, ARRAY[#N]), array_fill(NULL::text, ARRAY[#N]), array_fill('c1'::text, ARRAY[#N]), "
                        + "array_fill(NULL::text, ARRAY[#N]), array_fill(NULL::text, ARRAY[#N]), array_fill('{}'::jsonb, ARRAY[#N])";
                String call = args14.replace("#N", String.valueOf(size)).replace("-R", "-" + round).replace("'R-", "'" + round + "-");
                long t0 = System.nanoTime();
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM write_funnel_events(" + call + ")")) {
                    rs.next();
                    System.out.printf("round %d: %d created in %.1f ms%n", round, rs.getLong(1), (System.nanoTime() - t0) / 1e6);
                }
            }
            s.execute("LOAD 'auto_explain'");
            s.execute("SET auto_explain.log_min_duration = 0");
            s.execute("SET auto_explain.log_analyze = on");
            s.execute("SET auto_explain.log_nested_statements = on");
            s.execute("SET client_min_messages = log");
            s.execute("SET auto_explain.log_level = notice");
            String call = "ARRAY(SELECT 'p' || g || '-x@example.com' FROM generate_series(1, #N) g), "
                    + "array_fill('P'::text, ARRAY[#N]), array_fill(NULL::text, ARRAY[#N]), array_fill(NULL::text, ARRAY[#N]), "
                    + "array_fill('zoom'::text, ARRAY[#N]), array_fill('event_registered'::text, ARRAY[#N]), "
                    + "ARRAY(SELECT 'x-' || g FROM generate_series(1, #N) g), "
                    + "ARRAY(SELECT timestamptz '2026-01-01' + g * interval '1 second' FROM generate_series(1, #N) g), "
                    + "array_fill('bench'::text, ARRAY[#N]), array_fill(NULL::text, ARRAY[#N]), array_fill('c1'::text, ARRAY[#N]), "
                    + "array_fill(NULL::text, ARRAY[#N]), array_fill(NULL::text, ARRAY[#N]), array_fill('{}'::jsonb, ARRAY[#N])";
            s.executeQuery("SELECT count(*) FROM write_funnel_events(" + call.replace("#N", String.valueOf(size)) + ")").close();
            for (java.sql.SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                System.out.println(w.getMessage());
            }
        }
        System.exit(0);
    }
}
