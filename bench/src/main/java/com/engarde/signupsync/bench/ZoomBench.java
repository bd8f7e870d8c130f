package com.engarde.signupsync.bench;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.zoom.ZoomSource;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.testing.ZoomStub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Zoom sync against the fewest requests that could read the same account (not a test): 50 webinars of
 * 300 approved registrants and 2 ended runs each (150 attendees a run) from the stub Zoom, which enforces
 * per-category limits per second and answers 429 (with Zoom's X-RateLimit headers, no Retry-After) past them.
 * The stub's limits are below the client's pacing (Pro: Medium 20/s, Heavy 10/s), as on an account whose
 * other apps use part of its quota, so the client does meet 429s. It prints the requests made against the
 * minimum with pages of 300, the 429s, and how often a refused request was refused again on its next attempt
 * (the target is never); then a second run over unchanged data and its report calls (the target is none: an
 * ended run is read once). Usage: {@code bench/run.sh ZoomBench [webinars] [mediumPerSecond] [heavyPerSecond]}.
 */
public final class ZoomBench {

    public static void main(String[] args) throws Exception {
        int webinars = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int medium = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int heavy = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        TestDatabase db = TestDatabase.get();
        db.truncate();
        try (ZoomStub stub = new ZoomStub()) {
            stub.generate(webinars, 300, 2);
            stub.limit("light", 30);
            stub.limit("medium", medium);
            stub.limit("heavy", heavy);
            int minimum = stub.minimumRequests(300);
            Map<String, Object> properties = new HashMap<>();
            properties.put("zoom.api.url", stub.apiUrl());
            properties.put("zoom.oauth.url", stub.oauthUrl());
            properties.put("zoom.account.id", ZoomStub.ACCOUNT_ID);
            properties.put("zoom.client.id", ZoomStub.CLIENT_ID);
            properties.put("zoom.client.secret", ZoomStub.CLIENT_SECRET);
            System.out.printf("stub Zoom: %d webinars x 300 registrants x 2 ended runs (150 attendees each); limits per second:"
                    + " Light 30, Medium %d, Heavy %d (client paces to Medium 20/s, Heavy 10/s); load average %s%n",
                    webinars, medium, heavy, load());
            try (LambdaHarness lambda = new LambdaHarness(properties)) {
                SyncEngine engine = lambda.context().getBean(SyncEngine.class);
                ZoomSource source = lambda.context().getBean(ZoomSource.class);
                SyncRunLog runs = lambda.context().getBean(SyncRunLog.class);

                long start = System.nanoTime();
                SyncRun first = run(engine, source, runs);
                double firstSeconds = (System.nanoTime() - start) / 1e9;
                int sent = stub.requests().size();
                long reports = stub.count(r -> r.contains("/report/"));
                System.out.printf("first run: %s in %.1f s; %d registrations, %d attendances written%n", first.status(),
                        firstSeconds, Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'event_registered'"),
                        Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'event_attended'"));
                System.out.printf("  requests sent %d (run log: %d), minimum with pages of 300: %d, ratio %.3f; of them 429s %d,"
                        + " report calls %d (minimum %d)%n", sent, first.requests(), minimum, (double) sent / minimum,
                        stub.refused(), reports, webinars * 2);
                System.out.printf("  requests refused twice in a row: %d (target 0); load average %s%n",
                        stub.refusedTwiceInARow(), load());

                stub.clearRequests();
                int refusedBefore = stub.refused();
                start = System.nanoTime();
                SyncRun second = run(engine, source, runs);
                double secondSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("second run, nothing new: %s in %.1f s; %d requests (%d 429s), report calls %d (target 0),"
                        + " records changed %d; load average %s%n", second.status(), secondSeconds, stub.requests().size(),
                        stub.refused() - refusedBefore, stub.count(r -> r.contains("/report/")),
                        second.counts().created() + second.counts().updated(), load());
                System.out.printf("  requests refused twice in a row over both runs: %d (target 0)%n", stub.refusedTwiceInARow());
                if (first.status() != SyncStatus.SUCCEEDED || second.status() != SyncStatus.SUCCEEDED) {
                    System.out.println("a run did not succeed: " + first.errorMessage() + " / " + second.errorMessage());
                    System.exit(1);
                }
            }
        }
        System.exit(0);
    }

    private static SyncRun run(SyncEngine engine, ZoomSource source, SyncRunLog runs) {
        long runId = runs.start("zoom", SyncTrigger.MANUAL).run().id();
        return engine.execute(runId, source, TimeBudget.unlimited()).orElseThrow();
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
