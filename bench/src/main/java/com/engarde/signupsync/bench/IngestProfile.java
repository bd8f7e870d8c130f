package com.engarde.signupsync.bench;

import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.funnel.FunnelEventRequests;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an ingest's time goes (a profiling aid, not a benchmark): parsing and validation, the database write,
 * and the whole Lambda handler, per call of {@code size} events. Size 1 is POST /funnel/event, more is
 * POST /funnel/events. Three rounds, so the JIT's warm-up shows. Usage: bench/run.sh IngestProfile [size]
 */
public final class IngestProfile {

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int calls = Math.max(40, 5_000 / size);
        String path = size == 1 ? "/funnel/event" : "/funnel/events";
        TestDatabase db = TestDatabase.get();
        try (LambdaHarness lambda = new LambdaHarness()) {
            JsonBodies bodies = lambda.context().getBean(JsonBodies.class);
            FunnelEventRequests requests = lambda.context().getBean(FunnelEventRequests.class);
            FunnelEventWriter writer = lambda.context().getBean(FunnelEventWriter.class);
            for (int round = 0; round < 3; round++) {
                db.truncate();
                long parse = 0;
                long write = 0;
                long whole = 0;
                for (int c = 0; c < calls; c++) {
                    byte[] direct = body("w" + round + "-" + c, size).getBytes(StandardCharsets.UTF_8);
                    long t0 = System.nanoTime();
                    List<NewFunnelEvent> events = new ArrayList<>(size);
                    if (size == 1) {
                        events.add(requests.parse(bodies.object(direct, Long.MAX_VALUE)));
                    } else {
                        bodies.object(direct, Long.MAX_VALUE).get("events")
                                .forEach(item -> events.add(requests.parse((ObjectNode) item)));
                    }
                    long t1 = System.nanoTime();
                    writer.write(events);
                    long t2 = System.nanoTime();
                    lambda.handle(LambdaHarness.request("POST", path, body("h" + round + "-" + c, size)));
                    long t3 = System.nanoTime();
                    parse += t1 - t0;
                    write += t2 - t1;
                    whole += t3 - t2;
                }
                System.out.printf("per call of %d event(s): parse+validate %.0f us, write %.0f us, whole handler %.0f us%n",
                        size, parse / 1e3 / calls, write / 1e3 / calls, whole / 1e3 / calls);
            }
        }
        System.exit(0);
    }

    private static String body(String run, int size) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < size; i++) {
            events.append(i == 0 ? "" : ",").append("{\"source_type\":\"zoom\",\"event_type\":\"event_registered\","
                    + "\"email\":\"p").append(i).append('-').append(run).append("@example.com\",\"external_id\":\"")
                    .append(run).append('-').append(i).append("\",\"occurred_at\":\"2026-01-01T00:00:00Z\","
                    + "\"utm_source\":\"bench\",\"event_data\":{\"w\":\"1\"}}");
        }
        return size == 1 ? events.toString() : "{\"events\":[" + events + "]}";
    }
}
