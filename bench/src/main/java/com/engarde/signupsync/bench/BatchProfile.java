package com.engarde.signupsync.bench;

import com.engarde.signupsync.api.JsonBodies;
import com.engarde.signupsync.funnel.FunnelEventRequests;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Where a 500-event batch spends its time: parsing and validation, the database write, the whole handler. */
public final class BatchProfile {
    public static void main(String[] args) {
        TestDatabase db = TestDatabase.get();
        try (LambdaHarness lambda = new LambdaHarness()) {
            JsonBodies bodies = lambda.context().getBean(JsonBodies.class);
            FunnelEventRequests requests = lambda.context().getBean(FunnelEventRequests.class);
            FunnelEventWriter writer = lambda.context().getBean(FunnelEventWriter.class);
            for (int round = 0; round < 3; round++) {
                db.truncate();
                long parse = 0, write = 0, whole = 0;
                int batches = 40;
                for (int b = 0; b < batches; b++) {
                    String body = body("p" + round + "-" + b);
                    long t0 = System.nanoTime();
                    JsonNode items = bodies.object(body.getBytes(StandardCharsets.UTF_8), 6_000_000).get("events");
                    List<NewFunnelEvent> events = new ArrayList<>();
                    items.forEach(i -> events.add(requests.parse((ObjectNode) i)));
                    long t1 = System.nanoTime();
                    writer.write(events);
                    long t2 = System.nanoTime();
                    lambda.handle(LambdaHarness.request("POST", "/funnel/events", body("h" + round + "-" + b)));
                    long t3 = System.nanoTime();
                    parse += t1 - t0;
                    write += t2 - t1;
                    whole += t3 - t2;
                }
                System.out.printf("per 500-event batch: parse+validate %.1f ms, write %.1f ms, whole handler %.1f ms%n",
                        parse / 1e6 / batches, write / 1e6 / batches, whole / 1e6 / batches);
            }
        }
        System.exit(0);
    }

    private static String body(String run) {
        StringBuilder s = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 500; i++) {
            s.append(i == 0 ? "" : ",").append("{\"source_type\":\"zoom\",\"event_type\":\"event_registered\",\"email\":\"person")
                    .append(i).append('-').append(run).append("@example.com\",\"first_name\":\"P\",\"external_id\":\"")
                    .append(run).append('-').append(i).append("\",\"occurred_at\":\"2026-01-01T00:00:00Z\",\"utm_source\":\"bench\",")
                    .append("\"event_data\":{\"webinar_id\":\"w1\"}}");
        }
        return s.append("]}").toString();
    }
}
