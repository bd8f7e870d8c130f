package com.engarde.signupsync.local;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.FakeSyncSource;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A local run that is stopped hands the runs it is carrying out back, so the next run resumes at once. */
class LocalRunHandBackTest {

    @Test
    void aStoppedLocalRunHandsItsRunningRunBackAtItsLastCheckpoint(@TempDir Path data) throws Exception {
        TestDatabase.get().truncate();
        Map<String, String> env = Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_DATA_DIR", data.toString());
        FakeSyncSource fake = new FakeSyncSource("eventbrite", 5).items(20, Instant.parse("2026-06-01T10:00:00Z"));
        CountDownLatch secondPageReached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The fetch of the second page hangs, as a vendor that stopped answering: the first page is written by then.
        fake.afterPage(() -> {
            if (fake.pagesFetched() == 2) {
                secondPageReached.countDown();
                awaitQuietly(release);
            }
        });
        long runId;
        CompletableFuture<?> execution;
        try (LocalRun run = LocalRun.start(env)) {
            SyncRunLog runs = run.context().getBean(SyncRunLog.class);
            SyncEngine engine = run.context().getBean(SyncEngine.class);
            runId = runs.start("eventbrite", SyncTrigger.MANUAL).run().id();
            long id = runId;
            execution = CompletableFuture.runAsync(() -> engine.execute(id, fake, TimeBudget.unlimited()));
            assertThat(secondPageReached.await(60, TimeUnit.SECONDS)).isTrue();
            waitForFirstCheckpoint(runId);
            assertThat(Rows.row("SELECT status FROM funnel_sync_logs WHERE id = ?", runId).get("status"))
                    .isEqualTo(SyncStatus.RUNNING.id());
        } finally {
            release.countDown();
        }
        // LocalRun.close has stopped the context: the engine handed the run back on the way out.
        Map<String, Object> row = Rows.row("SELECT status, error_message, owner, cursor_after::text AS cursor"
                + " FROM funnel_sync_logs WHERE id = ?", runId);
        assertThat(row.get("status")).isEqualTo(SyncStatus.PARTIAL.id());
        assertThat((String) row.get("error_message")).contains("stopped with the process");
        assertThat((String) row.get("cursor")).contains("\"after\": 5");
        assertThat(Rows.number("SELECT count(*) FROM sync_records WHERE source_type = 'eventbrite'")).isEqualTo(5);
        execution.handle((ok, e) -> null).get(60, TimeUnit.SECONDS);
        // The execution still going found its run ended and wrote nothing more.
        assertThat(Rows.number("SELECT count(*) FROM sync_records WHERE source_type = 'eventbrite'")).isEqualTo(5);
    }

    private static void waitForFirstCheckpoint(long runId) throws InterruptedException {
        // The first page's transaction commits just after the second page's fetch started.
        for (int i = 0; i < 600 && Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE id = ? AND fetched_count > 0",
                runId) == 0; i++) {
            Thread.sleep(100);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
