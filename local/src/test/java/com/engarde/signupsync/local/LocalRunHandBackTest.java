package com.engarde.signupsync.local;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
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
@ExpectsWarnings("run \\d+ was taken over by another invocation")
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

    @Test
    void aLocalRunStoppedLikeCtrlCHandsItsRunBackBeforeItsEmbeddedDatabaseStopsAndTheNextRunStartsAtOnce(
            @TempDir Path data) throws Exception {
        Process child = stoppedLocalRun(data.toString());
        Output output = new Output(child);
        long runId;
        try {
            runId = output.awaitCheckpoint();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalRun.start(Map.of("SIGNUP_SYNC_DATA_DIR",
                            data.toString(), "PORT", "0")))
                    .as("a second run on the same data folder says why in one line")
                    .isInstanceOf(LocalRun.StartRefused.class).hasMessageContaining("is in use by another local run")
                    .hasMessageContaining("SIGNUP_SYNC_DATA_DIR=");
            child.destroy(); // SIGTERM, as Ctrl-C or a service manager stops it
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the local run stopped").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(output.all()).as("nothing failed on the way out").doesNotContain("08001").doesNotContain("could not be handed back");

        try (LocalRun restarted = LocalRun.start(Map.of("SIGNUP_SYNC_DATA_DIR", data.toString(), "PORT", "0"))) {
            SyncRunLog runs = restarted.context().getBean(SyncRunLog.class);
            SyncRun handedBack = runs.find(runId).orElseThrow();
            assertThat(handedBack.status()).isEqualTo(SyncStatus.PARTIAL);
            assertThat(handedBack.errorMessage()).contains("stopped with the process");
            SyncRunLog.Start next = runs.start("eventbrite", SyncTrigger.MANUAL);
            assertThat(next.started()).as("a new run starts at once").isTrue();
            assertThat(next.run().cursorBefore().toString()).contains("\"after\":5");
        }
    }

    @Test
    void aRunWhoseLocalProcessIsGoneIsTakenOverAtTheNextRequest(@TempDir Path data) throws Exception {
        TestDatabase.get().truncate();
        Process child = stoppedLocalRun(data.toString(), TestDatabase.get().url());
        Output output = new Output(child);
        long runId;
        try {
            runId = output.awaitCheckpoint();
            child.destroyForcibly(); // kill -9: no hook runs, the run stays running
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(Rows.row("SELECT status FROM funnel_sync_logs WHERE id = ?", runId).get("status"))
                .isEqualTo(SyncStatus.RUNNING.id());

        try (LocalRun restarted = LocalRun.start(Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_DATA_DIR", data.toString()))) {
            SyncRunLog.Start next = restarted.context().getBean(SyncRunLog.class).start("eventbrite", SyncTrigger.MANUAL);
            assertThat(next.started()).as("taken over at once, not after the stale limit").isTrue();
            assertThat(next.abandoned()).isEqualTo(runId);
            assertThat((String) Rows.row("SELECT error_message FROM funnel_sync_logs WHERE id = ?", runId)
                    .get("error_message")).contains("stopped without handing it back");
        }
    }

    private static Process stoppedLocalRun(String... args) throws java.io.IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), StoppedLocalRun.class.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The child's whole output, read as it comes; {@link #checkpoint} completes with the run id it printed. */
    private static final class Output {
        final StringBuffer text = new StringBuffer();
        final CompletableFuture<Long> checkpoint = new CompletableFuture<>();
        final Thread reader;

        Output(Process child) {
            reader = new Thread(() -> {
                try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                        child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        text.append(line).append('\n');
                        if (line.startsWith(StoppedLocalRun.CHECKPOINTED)) {
                            checkpoint.complete(Long.parseLong(line.substring(StoppedLocalRun.CHECKPOINTED.length()).strip()));
                        }
                    }
                } catch (java.io.IOException e) {
                    text.append(e);
                }
                checkpoint.completeExceptionally(new IllegalStateException("no checkpoint in:\n" + text));
            });
            reader.start();
        }

        long awaitCheckpoint() throws Exception {
            return checkpoint.get(120, TimeUnit.SECONDS);
        }

        String all() throws InterruptedException {
            reader.join(30_000);
            return text.toString();
        }
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
