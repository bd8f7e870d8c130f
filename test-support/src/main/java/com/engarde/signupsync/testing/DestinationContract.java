package com.engarde.signupsync.testing;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.SyncDestination;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every destination has on the engine, whatever its vendor, as {@link SyncSourceContract} is for
 * sources. A destination's test extends this and says how to drive it and its vendor ({@link Subject}); the
 * tests here then run it: a first run that sends everything and a repeated one that sends nothing, a run that
 * dies between two batches and the resume, concurrent runs, a time-budget continuation, a record the vendor
 * refuses, and the requests counted in the run log.
 */
public abstract class DestinationContract {

    /** One destination over a fresh database, what it has to send and its vendor scripted by the test. */
    public interface Subject extends AutoCloseable {
        SyncDestination destination();

        SyncEngine engine();

        SyncRunLog runs();

        /** Puts {@code n} well-formed records (keys 1..n) where the destination reads what it has to send. */
        void records(int n);

        /** How many distinct records the vendor holds. */
        int held();

        /** How many records the vendor took, the same one sent twice counting twice. */
        int accepted();

        /** How many requests the vendor received. */
        int requests();

        /** The vendor refuses record {@code key}. */
        void refuse(int key);

        /** The {@code batch}-th batch sent from now on fails, as the vendor erring or an invocation dying there. */
        void failBatch(int batch);

        /** Every batch takes {@code duration} of the test clock to send. */
        void everyBatchTakes(Duration duration);

        /** Records per batch. */
        int batchSize();

        /** The test clock's now. */
        Instant now();

        /** Waits until the bus has carried out what was put on it (continuations). */
        void settle();

        @Override
        void close();
    }

    protected abstract Subject subject();

    private static SyncRun run(Subject s, TimeBudget budget) {
        long runId = s.runs().start(s.destination().destinationType(), SyncTrigger.MANUAL).run().id();
        return s.engine().execute(runId, s.destination(), budget).orElseThrow();
    }

    private static SyncRun run(Subject s) {
        return run(s, TimeBudget.unlimited());
    }

    @Test
    void aFirstRunSendsEveryRecordAndARepeatedOneSendsNothing() {
        try (Subject s = subject()) {
            int n = s.batchSize() * 2 + 3;
            s.records(n);

            SyncRun first = run(s);
            assertEquals(SyncStatus.SUCCEEDED, first.status());
            assertEquals(n, first.counts().fetched());
            assertEquals(n, first.counts().created());
            assertEquals(n, s.held());
            assertEquals(s.requests(), first.requests(), "the run log's request count is not what the vendor received");
            assertTrue(first.requests() > 0);

            SyncRun again = run(s);
            assertEquals(SyncStatus.SUCCEEDED, again.status());
            assertEquals(first.cursorAfter(), again.cursorBefore());
            assertEquals(0, again.counts().created() + again.counts().updated());
            assertEquals(n, s.accepted(), "a repeated run sent records again");
            assertEquals(s.requests(), first.requests() + again.requests());
        }
    }

    @Test
    void aRunThatDiesBetweenBatchesIsResumedFromItsLastCheckpoint() {
        try (Subject s = subject()) {
            int n = s.batchSize() * 3 + 1;
            s.records(n);
            s.failBatch(2);

            SyncRun died = run(s);
            assertEquals(SyncStatus.FAILED, died.status());
            assertEquals(s.batchSize(), died.counts().fetched());
            assertEquals(s.batchSize(), s.held());

            SyncRun resumed = run(s);
            assertEquals(SyncStatus.SUCCEEDED, resumed.status());
            assertEquals(died.cursorAfter(), resumed.cursorBefore());
            assertEquals(n - s.batchSize(), resumed.counts().created(), "the resumed run sent again what was recorded");
            assertEquals(n, s.held());
            assertEquals(n, s.accepted());
            assertEquals(s.requests(), died.requests() + resumed.requests());
        }
    }

    @Test
    void concurrentRequestsMakeOneRunCarriedOutByOneInvocation() throws Exception {
        try (Subject s = subject()) {
            int n = s.batchSize() + 2;
            s.records(n);
            String type = s.destination().destinationType();

            List<Long> runIds = Race.run(2, i -> () -> s.runs().start(type, SyncTrigger.MANUAL).run().id());
            assertEquals(1, runIds.stream().distinct().count());
            List<Optional<SyncRun>> executions = Race.run(2, i -> () ->
                    s.engine().execute(runIds.get(0), s.destination(), TimeBudget.unlimited()));

            assertEquals(1, executions.stream().filter(Optional::isPresent).count());
            assertEquals(SyncStatus.SUCCEEDED, s.runs().find(runIds.get(0)).orElseThrow().status());
            assertEquals(n, s.held());
            assertEquals(n, s.accepted(), "a record was sent twice");
            assertEquals(1, Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE source_type = ?", type));
        }
    }

    @Test
    void aRunAtItsTimeBudgetHandsOverToAContinuationThatFinishesIt() {
        try (Subject s = subject()) {
            int n = s.batchSize() * 3 + 1;
            s.records(n);
            s.everyBatchTakes(Duration.ofSeconds(10));

            SyncRun first = run(s, new TimeBudget(s.now().plusSeconds(25)));
            s.settle();

            assertEquals(SyncStatus.PARTIAL, first.status());
            List<SyncRun> history = s.runs().history(s.destination().destinationType());
            assertEquals(2, history.size());
            SyncRun continuation = history.get(1);
            assertEquals(SyncTrigger.CONTINUATION, continuation.trigger());
            assertEquals(first.id(), continuation.continuesRunId());
            assertEquals(first.cursorAfter(), continuation.cursorBefore());
            assertEquals(SyncStatus.SUCCEEDED, continuation.status());
            assertEquals(n, first.counts().created() + continuation.counts().created());
            assertEquals(n, s.held());
            assertEquals(n, s.accepted());
            assertEquals(s.requests(), first.requests() + continuation.requests());
        }
    }

    @Test
    void aRecordTheVendorRefusesFailsAloneAndTheRunSucceeds() {
        try (Subject s = subject()) {
            int n = s.batchSize() + 2;
            s.records(n);
            s.refuse(3);

            SyncRun run = run(s);

            assertEquals(SyncStatus.SUCCEEDED, run.status());
            assertEquals(1, run.counts().failed());
            assertEquals(n - 1, run.counts().created());
            assertEquals("3", run.failedRecords().get(0).externalId());
            assertTrue(run.errorMessage().contains("1 record(s) skipped"));
            assertEquals(n - 1, s.held());
        }
    }
}
