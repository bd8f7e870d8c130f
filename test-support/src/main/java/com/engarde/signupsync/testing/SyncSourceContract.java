package com.engarde.signupsync.testing;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.sync.SyncStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every connector has on the engine, whatever its vendor. A connector's test extends this and
 * says how to drive its vendor ({@link Subject}); the tests here then sync it: a first sync and a repeated one
 * that writes nothing, a crash between two pages and the resume, concurrent runs, a time-budget continuation,
 * deletions where the connector declares it notices them, and a record that cannot be stored.
 */
public abstract class SyncSourceContract {

    /** One connector over a fresh database, its vendor scripted by the test. */
    public interface Subject extends AutoCloseable {
        SyncSource source();

        SyncEngine engine();

        SyncRunLog runs();

        /** Puts {@code n} well-formed records (keys 1..n) at the vendor. */
        void records(int n);

        /** The vendor forgets record {@code key}. */
        void delete(int key);

        /** Record {@code key} becomes one the store cannot take (unmappable or refused). */
        void spoil(int key);

        /** The fetch of the {@code page}-th listing page from now on fails, as an invocation dying there. */
        void failPage(int page);

        /** Every listing page takes {@code duration} of the test clock. */
        void everyPageTakes(Duration duration);

        /** Records per listing page. */
        int pageSize();

        /** Whether the connector notices records the vendor deleted (a sorted listing or a snapshot). */
        default boolean noticesDeletions() {
            return source().deletions() != Deletions.NONE;
        }

        /** The test clock's now. */
        Instant now();

        /** Waits until the bus has carried out what was put on it (continuations). */
        void settle();

        @Override
        void close();
    }

    protected abstract Subject subject();

    private static SyncRun sync(Subject s, TimeBudget budget) {
        long runId = s.runs().start(s.source().sourceType(), SyncTrigger.MANUAL).run().id();
        return s.engine().execute(runId, s.source(), budget).orElseThrow();
    }

    private static SyncRun sync(Subject s) {
        return sync(s, TimeBudget.unlimited());
    }

    private static long stored(Subject s) {
        return Rows.number("SELECT count(*) FROM sync_records WHERE source_type = ? AND deleted_at IS NULL",
                s.source().sourceType());
    }

    /** A number that changes whenever a row of the source's records or events is written. */
    private static long writes(Subject s) {
        return Rows.number("SELECT coalesce(sum(xmin::text::bigint), 0) + count(*) FROM sync_records WHERE source_type = ?",
                s.source().sourceType())
                + Rows.number("SELECT coalesce(sum(xmin::text::bigint), 0) + count(*) FROM funnel_events WHERE source_type = ?",
                s.source().sourceType());
    }

    @Test
    void aFirstSyncStoresEveryRecordAndARepeatedOneWritesNothing() {
        try (Subject s = subject()) {
            int n = s.pageSize() * 2 + 3;
            s.records(n);

            SyncRun first = sync(s);
            assertEquals(SyncStatus.SUCCEEDED, first.status());
            assertEquals(n, first.counts().created());
            assertEquals(n, stored(s));
            long before = writes(s);

            SyncRun again = sync(s);
            assertEquals(SyncStatus.SUCCEEDED, again.status());
            assertEquals(0, again.counts().created() + again.counts().updated());
            // Everything it read (all of it, an incremental connector's window, or nothing left to do) was unchanged.
            assertEquals(again.counts().fetched(), again.counts().unchanged());
            assertEquals(before, writes(s), "an unchanged re-sync wrote rows");
        }
    }

    @Test
    void aRunThatDiesBetweenPagesIsResumedFromItsLastCheckpoint() {
        try (Subject s = subject()) {
            int n = s.pageSize() * 3 + 1;
            s.records(n);
            s.failPage(2);

            SyncRun died = sync(s);
            assertEquals(SyncStatus.FAILED, died.status());
            assertEquals(s.pageSize(), died.counts().fetched());
            assertEquals(s.pageSize(), stored(s));

            SyncRun resumed = sync(s);
            assertEquals(SyncStatus.SUCCEEDED, resumed.status());
            assertEquals(died.cursorAfter(), resumed.cursorBefore());
            assertEquals(n - s.pageSize(), resumed.counts().created(), "the resumed run re-read what was written");
            assertEquals(n, stored(s));
        }
    }

    @Test
    void concurrentRequestsMakeOneRunCarriedOutByOneInvocation() throws Exception {
        try (Subject s = subject()) {
            s.records(s.pageSize() + 2);
            String type = s.source().sourceType();

            List<Long> runIds = Race.run(2, i -> () -> s.runs().start(type, SyncTrigger.MANUAL).run().id());
            assertEquals(1, runIds.stream().distinct().count());
            List<Optional<SyncRun>> executions = Race.run(2, i -> () ->
                    s.engine().execute(runIds.get(0), s.source(), TimeBudget.unlimited()));

            assertEquals(1, executions.stream().filter(Optional::isPresent).count());
            assertEquals(SyncStatus.SUCCEEDED, s.runs().find(runIds.get(0)).orElseThrow().status());
            assertEquals(s.pageSize() + 2, stored(s));
            assertEquals(1, Rows.number("SELECT count(*) FROM funnel_sync_logs WHERE source_type = ?", type));
        }
    }

    @Test
    void aRunAtItsTimeBudgetHandsOverToAContinuationThatFinishesIt() {
        try (Subject s = subject()) {
            int n = s.pageSize() * 3 + 1;
            s.records(n);
            s.everyPageTakes(Duration.ofSeconds(10));

            SyncRun first = sync(s, new TimeBudget(s.now().plusSeconds(25)));
            s.settle();

            assertEquals(SyncStatus.PARTIAL, first.status());
            List<SyncRun> history = s.runs().history(s.source().sourceType());
            assertEquals(2, history.size());
            SyncRun continuation = history.get(1);
            assertEquals(SyncTrigger.CONTINUATION, continuation.trigger());
            assertEquals(first.id(), continuation.continuesRunId());
            assertEquals(first.cursorAfter(), continuation.cursorBefore());
            assertEquals(SyncStatus.SUCCEEDED, continuation.status());
            assertEquals(n, first.counts().created() + continuation.counts().created());
            assertEquals(n, stored(s));
        }
    }

    @Test
    void aRecordTheVendorDeletedIsNoticedWhereTheConnectorDeclaresIt() {
        try (Subject s = subject()) {
            s.records(s.pageSize() + 5);
            sync(s);
            s.delete(3);

            SyncRun after = sync(s);

            assertEquals(SyncStatus.SUCCEEDED, after.status());
            Object deletedAt = Rows.row("SELECT deleted_at FROM sync_records WHERE source_type = ? AND external_id = '3'",
                    s.source().sourceType()).get("deleted_at");
            if (s.noticesDeletions()) {
                assertNotNull(deletedAt, "a deleted record was not noticed");
                assertEquals(s.pageSize() + 4, stored(s));
            } else {
                assertEquals(null, deletedAt);
            }
        }
    }

    @Test
    void aRecordThatCannotBeStoredFailsAloneAndTheRunSucceeds() {
        try (Subject s = subject()) {
            int n = s.pageSize() + 2;
            s.records(n);
            s.spoil(3);

            SyncRun run = sync(s);

            assertEquals(SyncStatus.SUCCEEDED, run.status());
            assertEquals(1, run.counts().failed());
            assertEquals("3", run.failedRecords().get(0).externalId());
            assertTrue(run.errorMessage().contains("1 record(s) skipped"));
            assertEquals(n - 1, stored(s));
        }
    }
}
