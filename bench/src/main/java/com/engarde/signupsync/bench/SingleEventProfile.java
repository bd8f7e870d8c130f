package com.engarde.signupsync.bench;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;

/** Drives single events through the handler for a profiler to watch (run with -XX:StartFlightRecording). */
public final class SingleEventProfile {
    public static void main(String[] args) {
        TestDatabase.get().truncate();
        try (LambdaHarness lambda = new LambdaHarness()) {
            long start = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                lambda.handle(LambdaHarness.request("POST", "/funnel/event", "{\"source_type\":\"zoom\",\"event_type\":"
                        + "\"event_registered\",\"email\":\"p" + i + "@example.com\",\"external_id\":\"s-" + i
                        + "\",\"occurred_at\":\"2026-01-01T00:00:00Z\",\"utm_source\":\"bench\",\"event_data\":{\"w\":\"1\"}}"));
            }
            System.out.printf("%.0f events/s%n", 20_000 / ((System.nanoTime() - start) / 1e9));
        }
        System.exit(0);
    }
}
