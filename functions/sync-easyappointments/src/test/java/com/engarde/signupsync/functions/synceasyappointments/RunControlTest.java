package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.KnownRecord;
import com.engarde.signupsync.sync.MissingRecords;
import com.engarde.signupsync.sync.SyncDispatch;
import com.engarde.signupsync.sync.SyncPage;
import com.engarde.signupsync.sync.SyncPass;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One run per source, crashes between pages, abandoned runs, and the time budget. */
@ExpectsWarnings("could not sync a single page within the invocation's time budget")
class RunControlTest {

    /** The process dies (as a Lambda killed mid-run would) when the pass is about to fetch a given page. */
    private static final class Crash extends Error {
        Crash() {
            super("simulated crash");
        }
    }

    private static SyncSource crashingAt(SyncSource real, int crashBeforePage) {
        return new SyncSource() {
            @Override
            public String sourceType() {
                return real.sourceType();
            }

            @Override
            public Deletions deletions() {
                return real.deletions();
            }

            @Override
            public SyncPass open(JsonNode checkpoint) {
                SyncPass pass = real.open(checkpoint);
                return new SyncPass() {
                    private int fetched;

                    @Override
                    public SyncPage next(TimeBudget budget) {
                        if (++fetched == crashBeforePage) {
                            throw new Crash();
                        }
                        return pass.next(budget);
                    }

                    @Override
                    public MissingRecords resolveMissing(SyncPage page, List<KnownRecord> missing, TimeBudget budget) {
                        return pass.resolveMissing(page, missing, budget);
                    }
                };
            }
        };
    }

    /** (external id, event type) of every stored event, sorted: what a clean sync of 25 appointments writes. */
    private static List<String> eventKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection c = TestDatabase.get().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT external_id || ':' || event_type FROM funnel_events"
                     + " ORDER BY external_id::int, event_type")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    /** One booking each; the past ones (even ids) are unresolved, so none is completed (issue 26). */
    private static List<String> expectedKeys(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            keys.add(i + ":appointment_booked");
        }
        return keys;
    }

    @Test
    void aCrashBetweenPagesLosesNothingAndTheResumedRunEndsWithExactlyTheExpectedRows() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            long runId = f.runs().start("easyappointments", SyncTrigger.MANUAL).run().id();

            assertThatThrownBy(() -> f.engine().execute(runId, crashingAt(f.source(), 3), TimeBudget.unlimited()))
                    .isInstanceOf(Crash.class);

            SyncRun crashed = f.runs().find(runId).orElseThrow();
            assertThat(crashed.status()).isEqualTo(SyncStatus.RUNNING);
            assertThat(crashed.counts().created()).isEqualTo(20);
            assertThat(crashed.cursorAfter().path("page").asInt()).isEqualTo(3);
            // While its heartbeat is fresh the run is not taken from it: a second request joins it.
            assertThat(f.runs().start("easyappointments", SyncTrigger.MANUAL).started()).isFalse();

            TestClock.INSTANCE.advance(Duration.ofMinutes(17));
            SyncRunLog.Start takeover = f.runs().start("easyappointments", SyncTrigger.SCHEDULE);
            assertThat(takeover.started()).isTrue();
            assertThat(takeover.abandoned()).isEqualTo(runId);
            assertThat(takeover.run().cursorBefore()).isEqualTo(crashed.cursorAfter());
            SyncRun abandoned = f.runs().find(runId).orElseThrow();
            assertThat(abandoned.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(abandoned.errorMessage()).startsWith("abandoned: no sign of life since");

            f.stub.clearRequests();
            SyncRun resumed = f.engine().execute(takeover.run().id(), f.source(), TimeBudget.unlimited()).orElseThrow();

            assertThat(resumed.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(resumed.counts().created()).isEqualTo(5);
            assertThat(f.stub.requests()).filteredOn(r -> r.contains("/appointments?")).hasSize(1)
                    .allMatch(r -> r.contains("page=3&"));
            assertThat(eventKeys()).isEqualTo(expectedKeys(25));
            assertThat(Rows.count("leads")).isEqualTo(25);
            assertThat(Rows.count("sync_records")).isEqualTo(25);
        }
    }

    @Test
    void aRedeliveredEventTakesOverAnAbandonedRunAndFinishesIt() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            long runId = f.runs().start("easyappointments", SyncTrigger.MANUAL).run().id();
            assertThatThrownBy(() -> f.engine().execute(runId, crashingAt(f.source(), 2), TimeBudget.unlimited()))
                    .isInstanceOf(Crash.class);
            // EventBridge retries the invocation that died; before the stale limit the run is left alone.
            assertThat(f.engine().execute(runId, f.source(), TimeBudget.unlimited())).isEmpty();

            TestClock.INSTANCE.advance(Duration.ofMinutes(17));
            Optional<SyncRun> finished = f.engine().execute(runId, f.source(), TimeBudget.unlimited());

            assertThat(finished).get().extracting(SyncRun::id, SyncRun::status).containsExactly(runId, SyncStatus.SUCCEEDED);
            assertThat(finished.get().counts().created()).isEqualTo(25);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE event_type = 'appointment_booked'")).isEqualTo(25);
        }
    }

    @Test
    void twoConcurrentRequestsMakeOneRunAndTwoConcurrentExecutionsReadTheSourceOnce() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            SyncDispatch dispatch = f.lambda.context().getBean(SyncDispatch.class);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch go = new CountDownLatch(1);
                Callable<SyncDispatch.Requested> request = () -> {
                    go.await();
                    return dispatch.request("easyappointments", SyncTrigger.MANUAL);
                };
                Future<SyncDispatch.Requested> a = pool.submit(request);
                Future<SyncDispatch.Requested> b = pool.submit(request);
                go.countDown();

                assertThat(a.get().runId()).isEqualTo(b.get().runId());
                assertThat(List.of(a.get().started(), b.get().started())).containsExactlyInAnyOrder(true, false);
                SyncFixture.await(f.bus());
                assertThat(f.runs().find(a.get().runId()).orElseThrow().status()).isEqualTo(SyncStatus.SUCCEEDED);

                f.stub.clearRequests();
                long runId = f.runs().start("easyappointments", SyncTrigger.MANUAL).run().id();
                CountDownLatch both = new CountDownLatch(1);
                Callable<Optional<SyncRun>> execute = () -> {
                    both.await();
                    return f.engine().execute(runId, f.source(), TimeBudget.unlimited());
                };
                Future<Optional<SyncRun>> first = pool.submit(execute);
                Future<Optional<SyncRun>> second = pool.submit(execute);
                both.countDown();

                assertThat(List.of(first.get().isPresent(), second.get().isPresent())).containsExactlyInAnyOrder(true, false);
                assertThat(f.stub.count(r -> r.contains("/appointments?"))).isEqualTo(3);
                assertThat(Rows.count("funnel_sync_logs")).isEqualTo(2);
                assertThat(eventKeys()).isEqualTo(expectedKeys(25));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRunThatReachesItsTimeBudgetCheckpointsAndAContinuationFinishesIt() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            // Every page takes ten seconds of the test clock; the budget ends 25 s in.
            f.stub.afterAnswer(r -> {
                if (r.contains("/appointments?")) {
                    TestClock.INSTANCE.advance(Duration.ofSeconds(10));
                }
            });
            long runId = f.runs().start("easyappointments", SyncTrigger.MANUAL).run().id();

            SyncRun first = f.engine().execute(runId, f.source(), new TimeBudget(SyncFixture.NOW.plusSeconds(25))).orElseThrow();
            SyncFixture.await(f.bus());

            assertThat(first.status()).isEqualTo(SyncStatus.PARTIAL);
            assertThat(first.errorMessage()).contains("time budget reached").contains("a continuation run goes on");
            assertThat(first.counts().created()).isBetween(10, 20);
            List<SyncRun> history = f.runs().history("easyappointments");
            assertThat(history).hasSize(2);
            SyncRun continuation = history.get(1);
            assertThat(continuation.trigger()).isEqualTo(SyncTrigger.CONTINUATION);
            assertThat(continuation.continuesRunId()).isEqualTo(runId);
            assertThat(continuation.cursorBefore()).isEqualTo(first.cursorAfter());
            assertThat(continuation.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(first.counts().created() + continuation.counts().created()).isEqualTo(25);
            assertThat(eventKeys()).isEqualTo(expectedKeys(25));
        }
    }

    @Test
    void aBudgetTooShortForASinglePageFailsTheRunInsteadOfLoopingOnContinuations() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(5);
            long runId = f.runs().start("easyappointments", SyncTrigger.MANUAL).run().id();

            SyncRun run = f.engine().execute(runId, f.source(), new TimeBudget(SyncFixture.NOW.plusMillis(500))).orElseThrow();

            assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(run.errorMessage()).startsWith("could not sync a single page within the invocation's time budget");
            assertThat(f.runs().history("easyappointments")).hasSize(1);
        }
    }
}
