package com.engarde.signupsync.bench;

import com.engarde.signupsync.api.JsonBodies;
import com.engarde.signupsync.funnel.FunnelEventRequests;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Where a single event's time goes: parsing and validation, the database write, the whole handler. */
public final class SingleEventProfile {
    public static void main(String[] args) {
        TestDatabase db = TestDatabase.get();
        try (LambdaHarness lambda = new LambdaHarness()) {
            JsonBodies bodies = lambda.context().getBean(JsonBodies.class);
            FunnelEventRequests requests = lambda.context().getBean(FunnelEventRequests.class);
            FunnelEventWriter writer = lambda.context().getBean(FunnelEventWriter.class);
            for (int round = 0; round < 3; round++) {
                db.truncate();
                int n = 5_000;
                long parse = 0, write = 0, whole = 0;
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    NewFunnelEvent e = requests.parse(bodies.object(body("w" + round, i).getBytes(StandardCharsets.UTF_8), 300_000));
                    long t1 = System.nanoTime();
                    writer.write(List.of(e));
                    long t2 = System.nanoTime();
                    lambda.handle(LambdaHarness.request("POST", "/funnel/event", body("h" + round, i)));
                    long t3 = System.nanoTime();
                    parse += t1 - t0;
                    write += t2 - t1;
                    whole += t3 - t2;
                }
                System.out.printf("per event: parse+validate %.0f us, write %.0f us, whole handler %.0f us%n",
                        parse / 1e3 / n, write / 1e3 / n, whole / 1e3 / n);
            }
        }
        System.exit(0);
    }

    private static String body(String run, int i) {
        return "{\"source_type\":\"zoom\",\"event_type\":\"event_registered\",\"email\":\"p" + i + "-" + run
                + "@example.com\",\"external_id\":\"" + run + "-" + i + "\",\"occurred_at\":\"2026-01-01T00:00:00Z\","
                + "\"utm_source\":\"bench\",\"event_data\":{\"w\":\"1\"}}";
    }
}
