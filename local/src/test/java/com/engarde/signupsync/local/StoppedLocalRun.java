package com.engarde.signupsync.local;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.FakeSyncSource;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A local run in a JVM of its own, for {@link LocalRunHandBackTest} to stop as a user does: it starts the way
 * {@code ./run-local} does (with its exit hook), begins an Eventbrite run whose second page never comes, prints
 * {@code CHECKPOINTED <run id>} once the first page is written, and waits to be stopped.
 * Arguments: the data folder, and optionally a database URL (else the embedded PostgreSQL in the data folder).
 */
public final class StoppedLocalRun {

    static final String CHECKPOINTED = "CHECKPOINTED ";

    private StoppedLocalRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("SIGNUP_SYNC_DATA_DIR", args[0], "PORT", "0"));
        if (args.length > 1) {
            env.put("ENGARDE_DATABASE_URL", args[1]);
        }
        LocalRun run = LocalRun.start(env);
        run.closeOnExit();
        FakeSyncSource fake = new FakeSyncSource("eventbrite", 5).items(20, Instant.parse("2026-06-01T10:00:00Z"));
        CountDownLatch never = new CountDownLatch(1);
        fake.afterPage(() -> {
            if (fake.pagesFetched() == 2) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        SyncRunLog runs = run.context().getBean(SyncRunLog.class);
        long runId = runs.start("eventbrite", SyncTrigger.MANUAL).run().id();
        Thread execution = new Thread(() -> run.context().getBean(SyncEngine.class).execute(runId, fake, TimeBudget.unlimited()));
        execution.setDaemon(true);
        execution.start();
        while (runs.find(runId).orElseThrow().counts().fetched() == 0) {
            Thread.sleep(50);
        }
        System.out.println(CHECKPOINTED + runId);
        System.out.flush();
        never.await();
    }
}
