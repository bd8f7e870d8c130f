package com.engarde.signupsync.sync;

import com.engarde.signupsync.sync.internal.RunOwner;
import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.http.TimeBudgetExhausted;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorLimitReached;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.bus.EventBus;
import com.engarde.signupsync.bus.Invocation;
import com.engarde.signupsync.bus.SyncRequested;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.persistence.DatabaseException;
import io.micronaut.context.BeanProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The sync engine every pull source and destination runs on. It carries out one run of one source:
 * <ol>
 *   <li>claims the run, so that one invocation at a time carries it out (a repeated bus event is a no-op);</li>
 *   <li>opens the source's listing at the run's checkpoint and takes it page by page, fetching the next page
 *       while it writes the previous one;</li>
 *   <li>writes each page in one transaction: the events of new and changed records (leads and events as
 *       set-wise upserts), follow-ups for records the source deleted, the record fingerprints, and the
 *       run's counts and cursor. A crash anywhere loses nothing and duplicates nothing: the next run
 *       resumes after the last page committed, and every write is idempotent;</li>
 *   <li>stops before the time budget runs out, ending the run as partial and putting a continuation
 *       SyncRequested on the bus; fails the run with the vendor's status and message on a vendor error.</li>
 * </ol>
 * Unchanged records cost no write. A record a connector hands over unmapped with the fingerprint of its raw form
 * ({@link SyncRecord#raw}) is unchanged when the record log holds that fingerprint, and is then never mapped: an
 * unchanged page costs its fetch, the hashing, one index read (on the fetching thread, which reads the record log's
 * state of the page's records and key range once for both the comparison and the deletions) and the checkpoint.
 * Any other record is mapped and unchanged when what it maps to has the fingerprint last written.
 * <p>
 * A {@link SyncDestination}'s run goes the same way with the direction turned: each batch is sent off the
 * writing thread, then its outcomes are recorded with the checkpoint in one transaction; claim, budget,
 * continuation, quota, failed records and request count are the same code.
 */
@Singleton
public class SyncEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

    private final Database database;
    private final SyncRunLog runs;
    private final SyncedRecords records;
    private final FunnelEventWriter events;
    private final BeanProvider<EventBus> bus;
    private final Clock clock;
    /** The runs this process is carrying out, by id, with their owner. */
    private final Map<Long, String> active = new ConcurrentHashMap<>();

    public SyncEngine(Database database, SyncRunLog runs, SyncedRecords records, FunnelEventWriter events,
                      BeanProvider<EventBus> bus, Clock clock) {
        this.database = database;
        this.runs = runs;
        this.records = records;
        this.events = events;
        this.bus = bus;
        this.clock = clock;
    }

    /**
     * Carries out a SyncRequested event: the run it names, or else the source's running run or a new one.
     * Empty when another invocation holds the run or it has already ended.
     */
    public Optional<SyncRun> handle(SyncRequested request, SyncSource source, Invocation invocation) {
        long runId = request.runId() != null ? request.runId()
                : runs.start(source.sourceType(), request.trigger()).run().id();
        return execute(runId, source, invocation);
    }

    /** Claims the run and carries it out until it ends or the budget does; answers the run as it then stands. */
    public Optional<SyncRun> execute(long runId, SyncSource source, TimeBudget budget) {
        return execute(runId, source, new Invocation(null, budget));
    }

    /**
     * As {@link #execute(long, SyncSource, TimeBudget)}, as {@code invocation}: a Lambda request retried after
     * its invocation died (same request id) is the same owner, so it takes its run over at once instead of
     * waiting for the heartbeat to go stale.
     */
    public Optional<SyncRun> execute(long runId, SyncSource source, Invocation invocation) {
        return execute(runId, source.sourceType(), invocation,
                (run, owner, budget) -> new SourceExecution(run, owner, source, budget));
    }

    /** As {@link #handle(SyncRequested, SyncSource, Invocation)}, for a destination's run. */
    public Optional<SyncRun> handle(SyncRequested request, SyncDestination destination, Invocation invocation) {
        long runId = request.runId() != null ? request.runId()
                : runs.start(destination.destinationType(), request.trigger()).run().id();
        return execute(runId, destination, invocation);
    }

    /** Claims a destination's run and carries it out until it ends or the budget does, as a source's. */
    public Optional<SyncRun> execute(long runId, SyncDestination destination, TimeBudget budget) {
        return execute(runId, destination, new Invocation(null, budget));
    }

    /** As {@link #execute(long, SyncSource, Invocation)}, for a destination's run. */
    public Optional<SyncRun> execute(long runId, SyncDestination destination, Invocation invocation) {
        return execute(runId, destination.destinationType(), invocation,
                (run, owner, budget) -> new DestinationExecution(run, owner, destination, budget));
    }

    /** How a claimed run of a source or a destination is carried out. */
    private interface ExecutionOf {
        Execution of(SyncRun run, String owner, TimeBudget budget);
    }

    private Optional<SyncRun> execute(long runId, String type, Invocation invocation, ExecutionOf executionOf) {
        String owner = RunOwner.of(invocation.requestId());
        TimeBudget budget = invocation.budget().counting();
        Optional<SyncRun> claimed = runs.claim(runId, owner);
        if (claimed.isEmpty()) {
            LOG.info("run {} is held by another invocation or has ended; nothing to do", runId);
            return Optional.empty();
        }
        SyncRun run = claimed.get();
        if (!run.sourceType().equals(type)) {
            throw new IllegalArgumentException("run " + runId + " syncs " + run.sourceType() + ", not " + type);
        }
        Execution execution = executionOf.of(run, owner, budget);
        active.put(run.id(), owner);
        try {
            return execution.carryOut();
        } finally {
            active.remove(run.id(), owner);
        }
    }

    /**
     * A process that stops (the local run shutting down) hands its running runs back on the way out: each ends
     * as partial at its last checkpoint, so the next run resumes there at once instead of waiting for the
     * heartbeat to go stale. The execution still going finds the run ended at its next checkpoint and stops.
     */
    @PreDestroy
    void handBack() {
        active.forEach((runId, owner) -> {
            try {
                runs.finish(runId, owner, SyncStatus.PARTIAL, "stopped with the process carrying it out;"
                        + " the next run resumes from its last checkpoint", 0);
            } catch (RuntimeException e) {
                LOG.warn("run {} could not be handed back: {}", runId, e.getMessage());
            }
        });
    }

    /** The owner lost the run to another invocation (it was taken over as stale): stop, write nothing more. */
    private static final class LostClaim extends RuntimeException {
        LostClaim(long runId) {
            super("run " + runId + " was taken over by another invocation");
        }
    }

    /**
     * One claimed run carried out page by page: each page is taken off the writing thread (fetched from a source,
     * or sent to a destination) while the previous one is committed with the run's checkpoint.
     */
    private abstract class Execution {
        final SyncRun run;
        final String owner;
        final TimeBudget budget;
        SyncCounts total;
        int pagesWritten;
        private Duration longestPage = Duration.ZERO;
        private int requestsRecorded;

        Execution(SyncRun run, String owner, TimeBudget budget) {
            this.run = run;
            this.owner = owner;
            this.budget = budget;
            this.total = run.counts();
        }

        /**
         * Opens the run's work at its checkpoint: a task, run on the fetching thread, that takes the next page
         * and answers it ready to commit.
         */
        abstract Callable<TakenPage> open();

        /** Requests sent since the last checkpoint recorded them. */
        int newRequests() {
            int now = budget.requestCount();
            int fresh = now - requestsRecorded;
            requestsRecorded = now;
            return fresh;
        }

        Optional<SyncRun> carryOut() {
            ExecutorService fetcher = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "sync-fetch-" + run.id());
                thread.setDaemon(true);
                return thread;
            });
            try {
                Callable<TakenPage> take = open();
                Instant pageStarted = clock.instant();
                Future<TakenPage> next = fetcher.submit(take);
                while (true) {
                    TakenPage page = await(next);
                    next = null;
                    if (!page.last() && budget.allows(clock.instant(), longestPage)) {
                        next = fetcher.submit(take);
                    }
                    page.commit().run();
                    Instant now = clock.instant();
                    Duration took = Duration.between(pageStarted, now);
                    longestPage = took.compareTo(longestPage) > 0 ? took : longestPage;
                    pageStarted = now;
                    if (page.last()) {
                        return finish();
                    }
                    if (next == null) {
                        throw new TimeBudgetExhausted("the next page would not fit in this invocation's time budget");
                    }
                }
            } catch (TimeBudgetExhausted e) {
                return pagesWritten > 0 ? handOver(e) : fail("could not sync a single page within the invocation's"
                        + " time budget: " + e.getMessage());
            } catch (VendorLimitReached e) {
                return waitForQuota(e);
            } catch (VendorException e) {
                return fail(e.getMessage());
            } catch (LostClaim e) {
                LOG.warn(e.getMessage());
                return runs.find(run.id());
            } catch (RuntimeException e) {
                LOG.error("sync run {} of {} failed", run.id(), run.sourceType(), e);
                return fail("internal error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } finally {
                fetcher.shutdownNow();
            }
        }

        private TakenPage await(Future<TakenPage> next) {
            try {
                return next.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching a page", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        private Optional<SyncRun> finish() {
            // The run covered its source: records skipped as unmappable or refused do not make it partial (they
            // are counted and listed), so the freshness alarm follows coverage, not data quality.
            String message = total.failed() > 0 ? total.failed() + " record(s) skipped; see failed_records" : null;
            return runs.finish(run.id(), owner, SyncStatus.SUCCEEDED, message, newRequests());
        }

        private Optional<SyncRun> fail(String message) {
            LOG.warn("sync run {} of {} failed: {}", run.id(), run.sourceType(), InputText.escaped(message));
            return runs.finish(run.id(), owner, SyncStatus.FAILED, message, newRequests());
        }

        /** Ends this invocation's part as partial and hands the rest to a continuation run over the bus. */
        private Optional<SyncRun> handOver(TimeBudgetExhausted reason) {
            String message = "time budget reached after " + pagesWritten + " page(s) (" + reason.getMessage()
                    + "); a continuation run goes on from this checkpoint";
            return continueAfter(message, null);
        }

        /**
         * A quota, not a fault: what was written stands, the run ends as partial, and its continuation is
         * scheduled for when the quota resets, not retried now (a daily limit answers every request until then).
         */
        private Optional<SyncRun> waitForQuota(VendorLimitReached limit) {
            return continueAfter(limit.getMessage() + "; the next run after " + limit.resumeAt()
                    + " carries on from this checkpoint", limit.resumeAt());
        }

        private Optional<SyncRun> continueAfter(String message, Instant notBefore) {
            Optional<SyncRun> continuation = runs.continueAs(run.id(), owner, message, newRequests(), notBefore);
            if (continuation.isEmpty()) {
                return runs.find(run.id());
            }
            SyncRun next = continuation.get();
            try {
                bus.get().publish(List.of(new SyncRequested(next.sourceType(), SyncTrigger.CONTINUATION, next.id(),
                        notBefore)));
                LOG.info("run {} of {} continues as run {}{}", run.id(), run.sourceType(), next.id(),
                        notBefore == null ? "" : " after " + notBefore);
            } catch (RuntimeException e) {
                LOG.error("the continuation of run {} could not be published", run.id(), e);
                runs.abandon(next.id(), "could not be handed to the event bus (" + e.getMessage()
                        + "); the next run resumes from this checkpoint");
            }
            return runs.find(run.id());
        }
    }

    /** A source's run: each page fetched and fingerprinted, then written into the funnel with the checkpoint. */
    private final class SourceExecution extends Execution {
        private final SyncSource source;
        private final SourceType sourceType;
        /** For a complete-snapshot source, what the pass listed so far, when this execution began the pass. */
        private Set<String> snapshotSeen;
        /** Pages committed so far by this execution: read by the fetching thread, written by the writing thread. */
        private volatile int committed;
        /** What the last pages committed wrote to the record log (writing thread only). */
        private final java.util.ArrayDeque<Written> recentlyWritten = new java.util.ArrayDeque<>();

        SourceExecution(SyncRun run, String owner, SyncSource source, TimeBudget budget) {
            super(run, owner, budget);
            this.source = source;
            this.sourceType = SourceType.fromId(source.sourceType()).orElseThrow(
                    () -> new IllegalArgumentException("unknown source type " + source.sourceType()));
        }

        @Override
        Callable<TakenPage> open() {
            if (source.deletions() == Deletions.COMPLETE_SNAPSHOT && startsAPass()) {
                snapshotSeen = new HashSet<>();
            }
            SyncPass pass = source.open(run.cursorAfter());
            return () -> {
                Fetched fetched = fetch(pass);
                return new TakenPage(fetched.page().last(), () -> write(pass, fetched));
            };
        }

        /**
         * Whether this execution reads a pass from its first page: the source's first run, or a run that has
         * written nothing yet and opens the checkpoint a finished pass left (the run before it succeeded). A
         * continuation, a resume after a failure and a taken-over run are mid-pass (or may be): they notice no
         * snapshot deletions rather than take records an earlier invocation listed for gone.
         */
        private boolean startsAPass() {
            if (run.cursorAfter() == null) {
                return run.cursorBefore() == null;
            }
            if (run.continuesRunId() != null || !run.cursorAfter().equals(run.cursorBefore())) {
                return false;
            }
            return runs.previous(run.sourceType(), run.id()).map(p -> p.status() == SyncStatus.SUCCEEDED).orElse(false);
        }

        /**
         * Fetches the next page and reads the record log's state of its records and key range (the page's one
         * index read), maps the records whose raw form that state does not hold and fingerprints what they map to,
         * all off the writing thread. A record whose raw fingerprint is stored stays unmapped. The state read here
         * is used by the writing thread unless a page committed since the read began wrote one of its records
         * (see {@link #stale}); then that thread reads it again.
         */
        private Fetched fetch(SyncPass pass) {
            SyncPage page = pass.next(budget);
            int readAfter = committed;
            Map<String, SyncRecord> listed = new LinkedHashMap<>();
            page.records().forEach(r -> listed.put(r.externalId(), r));
            Map<String, KnownRecord> known = known(page, listed, false);
            List<SyncRecord> taken = new ArrayList<>(page.records().size());
            Map<String, byte[]> fingerprints = new HashMap<>(page.records().size() * 2);
            for (SyncRecord record : page.records()) {
                if (record.isUnmapped()) {
                    KnownRecord before = known.get(record.externalId());
                    if (before != null && before.sameRaw(record.rawFingerprint())) {
                        taken.add(record);
                        continue;
                    }
                    record = record.map();
                }
                taken.add(record);
                if (!record.isFailed()) {
                    fingerprints.put(record.externalId(), fingerprint(record));
                }
            }
            return new Fetched(new SyncPage(page.number(), taken, page.range(), page.cursorAfter(), page.last()),
                    fingerprints, known, readAfter);
        }

        /**
         * Whether the state read with {@code fetched} may be out of date: a page committed after the read began (at
         * most the one being written while the next was fetched) wrote a record the page lists, or one of its
         * state, or one inside its key range.
         */
        private boolean stale(Fetched fetched, Map<String, SyncRecord> listed) {
            SyncPage.KeyRange range = fetched.page().range();
            for (Written w : recentlyWritten) {
                if (w.commit() < fetched.readAfter()) {
                    continue;
                }
                for (String id : w.ids()) {
                    if (listed.containsKey(id) || fetched.known().containsKey(id)) {
                        return true;
                    }
                }
                if (range != null) {
                    for (SortKey key : w.keys()) {
                        if (range.contains(key)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /** Remembers what a committed page wrote to the record log, for {@link #stale}; the last two pages are enough. */
        private void committed(List<Changed> changed, Map<String, byte[]> rawOnly, List<String> gone) {
            List<String> ids = new ArrayList<>(changed.size() + rawOnly.size() + gone.size());
            List<SortKey> keys = new ArrayList<>(changed.size());
            for (Changed c : changed) {
                ids.add(c.record().externalId());
                if (c.record().sortKey() != null) {
                    keys.add(c.record().sortKey());
                }
            }
            ids.addAll(rawOnly.keySet());
            ids.addAll(gone);
            recentlyWritten.addLast(new Written(committed, ids, keys));
            while (recentlyWritten.size() > 2) {
                recentlyWritten.removeFirst();
            }
            committed++;
        }

        /** One page, one transaction: events, follow-ups, fingerprints, counts and cursor, or none of them. */
        private void write(SyncPass pass, Fetched fetched) {
            SyncPage page = fetched.page();
            Map<String, SyncRecord> listed = new LinkedHashMap<>();
            page.records().forEach(r -> listed.put(r.externalId(), r));
            if (snapshotSeen != null) {
                snapshotSeen.addAll(listed.keySet());
            }
            boolean snapshotEnds = snapshotSeen != null && page.last();
            Map<String, KnownRecord> known = snapshotEnds || stale(fetched, listed) ? known(page, listed, snapshotEnds)
                    : fetched.known();

            List<KnownRecord> missing = new ArrayList<>();
            if (source.deletions() == Deletions.SORTED_LISTING && page.range() != null) {
                for (KnownRecord k : known.values()) {
                    if (!k.deleted() && page.range().covers(k.sortKey(), k.happensAt())
                            && !listed.containsKey(k.externalId())) {
                        missing.add(k);
                    }
                }
            } else if (snapshotEnds) {
                for (KnownRecord k : known.values()) {
                    if (!k.deleted() && !snapshotSeen.contains(k.externalId())) {
                        missing.add(k);
                    }
                }
                snapshotSeen = null;
            }
            MissingRecords resolved = missing.isEmpty() ? MissingRecords.NONE : pass.resolveMissing(page, missing, budget);
            Map<String, byte[]> fingerprints = fetched.fingerprints();
            if (!resolved.found().isEmpty()) {
                // Found records were mapped again here: their fingerprints are computed below.
                fingerprints = new HashMap<>(fingerprints);
                for (SyncRecord found : resolved.found()) {
                    listed.put(found.externalId(), found);
                    fingerprints.remove(found.externalId());
                }
            }

            int unchanged = 0;
            List<FailedRecord> failures = new ArrayList<>();
            List<Changed> changed = new ArrayList<>();
            Map<String, byte[]> rawOnly = new HashMap<>();
            for (Map.Entry<String, SyncRecord> entry : listed.entrySet()) {
                SyncRecord record = entry.getValue();
                KnownRecord before = known.get(record.externalId());
                if (record.isUnmapped()) {
                    if (before != null && before.sameRaw(record.rawFingerprint())) {
                        unchanged++;
                        continue;
                    }
                    // Changed or deleted since the page was fetched (the listing shifted, another run wrote it):
                    // mapped now after all.
                    record = record.map();
                    entry.setValue(record);
                }
                if (record.isFailed()) {
                    failures.add(new FailedRecord(record.externalId(), record.failure()));
                    continue;
                }
                byte[] fingerprint = fingerprints.get(record.externalId());
                if (fingerprint == null) {
                    fingerprint = fingerprint(record);
                }
                if (before != null && !before.deleted() && Arrays.equals(before.fingerprint(), fingerprint)) {
                    unchanged++;
                    if (record.rawFingerprint() != null && !before.sameRaw(record.rawFingerprint())) {
                        // Another raw form of the same mapping: kept, so that the next run need not map it.
                        rawOnly.put(record.externalId(), record.rawFingerprint());
                    }
                    continue;
                }
                changed.add(new Changed(record, fingerprint, before == null));
            }
            Instant now = clock.instant();
            List<FunnelEventWriter.FollowUp> followUps = new ArrayList<>();
            List<String> gone = new ArrayList<>();
            for (MissingRecords.Gone g : resolved.gone()) {
                gone.add(g.externalId());
                if (g.event() != null) {
                    followUps.add(new FunnelEventWriter.FollowUp(g.externalId(), g.event(), now, g.eventData()));
                }
            }
            PageWrite attempt = new PageWrite(pass, page, listed.size(), unchanged, changed, rawOnly, failures, followUps,
                    gone, now, newRequests());
            SyncCounts counts;
            try {
                counts = database.transaction(connection -> attempt.write(connection, false));
            } catch (DatabaseException e) {
                if (!e.refusedData()) {
                    throw e;
                }
                // One record the database refuses must not fail the page, nor every later run at this cursor:
                // the page is written again record by record and each refused one is counted failed.
                LOG.warn("run {}: the database refused page {} ({}); writing it record by record", run.id(),
                        page.number(), e.getMessage());
                counts = database.transaction(connection -> attempt.write(connection, true));
            }
            committed(changed, rawOnly, gone);
            total = total.plus(counts);
            pagesWritten++;
            if (counts.failed() > 0) {
                FailedRecord first = attempt.failures.get(0);
                LOG.warn("run {}: {} record(s) of page {} failed, first {}: {}", run.id(), counts.failed(),
                        page.number(), InputText.escaped(first.externalId()), InputText.escaped(first.reason()));
            }
        }

        /** A page's writes: all at once, or one savepoint per changed record so that a refused one fails alone. */
        private final class PageWrite {
            private final SyncPass pass;
            private final SyncPage page;
            private final int fetched;
            private final int unchanged;
            private final List<Changed> changed;
            private final Map<String, byte[]> rawOnly;
            private final List<FailedRecord> mappingFailures;
            private final List<FunnelEventWriter.FollowUp> followUps;
            private final List<String> gone;
            private final Instant now;
            private final int requests;
            private List<FailedRecord> failures;

            PageWrite(SyncPass pass, SyncPage page, int fetched, int unchanged, List<Changed> changed,
                      Map<String, byte[]> rawOnly, List<FailedRecord> failures, List<FunnelEventWriter.FollowUp> followUps, List<String> gone,
                      Instant now, int requests) {
                this.pass = pass;
                this.requests = requests;
                this.page = page;
                this.fetched = fetched;
                this.unchanged = unchanged;
                this.changed = changed;
                this.rawOnly = rawOnly;
                this.mappingFailures = List.copyOf(failures);
                this.failures = this.mappingFailures;
                this.followUps = followUps;
                this.gone = gone;
                this.now = now;
            }

            SyncCounts write(Connection connection, boolean oneByOne) throws SQLException {
                String sourceId = source.sourceType();
                failures = new ArrayList<>(mappingFailures);
                int created = 0;
                int updated = 0;
                // A record of an erased person is not written (nor remembered, so every later run says so too).
                Set<String> erased = changed.isEmpty() ? Set.of() : events.erased(connection, changed.stream()
                        .flatMap(c -> c.record().events().stream()).map(e -> e.person().email()).toList());
                List<Changed> writable = erased.isEmpty() ? changed : changed.stream()
                        .filter(c -> c.record().events().stream().noneMatch(e -> erased.contains(e.person().email()))).toList();
                int suppressed = changed.size() - writable.size();
                if (oneByOne) {
                    for (Changed c : writable) {
                        Savepoint before = connection.setSavepoint();
                        try {
                            events.upsert(connection, c.record().events());
                            records.upsert(connection, sourceId, List.of(c.row()), now);
                            connection.releaseSavepoint(before);
                        } catch (SQLException e) {
                            DatabaseException refused = new DatabaseException(e);
                            if (!refused.refusedData()) {
                                throw e;
                            }
                            connection.rollback(before);
                            failures.add(new FailedRecord(c.record().externalId(),
                                    "refused by the database: " + refused.getMessage()));
                            continue;
                        }
                        if (c.isNew()) {
                            created++;
                        } else {
                            updated++;
                        }
                    }
                } else {
                    List<NewFunnelEvent> toWrite = new ArrayList<>();
                    List<SyncedRecords.Row> rows = new ArrayList<>(writable.size());
                    for (Changed c : writable) {
                        toWrite.addAll(c.record().events());
                        rows.add(c.row());
                        if (c.isNew()) {
                            created++;
                        } else {
                            updated++;
                        }
                    }
                    events.upsert(connection, toWrite);
                    records.upsert(connection, sourceId, rows, now);
                }
                records.keepRawFingerprints(connection, sourceId, rawOnly);
                events.writeFollowUps(connection, sourceType, followUps);
                records.markDeleted(connection, sourceId, gone, now);
                pass.written(connection, page, List.copyOf(failures));
                SyncCounts counts = new SyncCounts(fetched, created, updated + gone.size(), unchanged, failures.size(),
                        suppressed);
                if (!runs.progress(connection, run.id(), owner, counts, page.cursorAfter(), failures, requests)) {
                    throw new LostClaim(run.id());
                }
                return counts;
            }
        }

        /**
         * The stored state of the page's records and of its key range (or, at the end of a complete snapshot,
         * of every stored record), in one or two index reads.
         */
        private Map<String, KnownRecord> known(SyncPage page, Map<String, SyncRecord> listed, boolean everything) {
            String sourceId = source.sourceType();
            SyncPage.KeyRange range = everything ? null : page.range();
            List<String> others = new ArrayList<>();
            for (SyncRecord r : listed.values()) {
                // A range over every record happening (no time filter) reads every stored record of the range.
                boolean coveredByRange = range != null && range.happeningFrom() == null && r.sortKey() != null
                        && range.contains(r.sortKey());
                if (!coveredByRange) {
                    others.add(r.externalId());
                }
            }
            return database.read(connection -> {
                if (range != null) {
                    return records.inRange(connection, sourceId, range, others);
                }
                Map<String, KnownRecord> known = new HashMap<>();
                if (everything) {
                    known.putAll(records.present(connection, sourceId));
                    others.removeIf(known::containsKey);
                }
                known.putAll(records.byIds(connection, sourceId, others));
                return known;
            });
        }
    }

    /** A destination's run: each batch sent, then its outcomes recorded with the checkpoint. */
    private final class DestinationExecution extends Execution {
        private final SyncDestination destination;

        DestinationExecution(SyncRun run, String owner, SyncDestination destination, TimeBudget budget) {
            super(run, owner, budget);
            this.destination = destination;
        }

        @Override
        Callable<TakenPage> open() {
            DestinationPass pass = destination.open(run.cursorAfter());
            return () -> {
                SentBatch batch = pass.sendNext(budget);
                return new TakenPage(batch.last(), () -> record(pass, batch));
            };
        }

        /** One batch, one transaction: the destination's own state, the counts, failures and cursor. */
        private void record(DestinationPass pass, SentBatch batch) {
            int created = 0;
            int updated = 0;
            int unchanged = 0;
            int suppressed = 0;
            List<FailedRecord> failures = new ArrayList<>();
            for (SentRecord sent : batch.records()) {
                switch (sent.outcome()) {
                    case CREATED -> created++;
                    case UPDATED -> updated++;
                    case UNCHANGED -> unchanged++;
                    case SUPPRESSED -> suppressed++;
                    case FAILED -> failures.add(new FailedRecord(sent.externalId(), sent.failure()));
                }
            }
            SyncCounts counts = new SyncCounts(batch.records().size(), created, updated, unchanged, failures.size(),
                    suppressed);
            int requests = newRequests();
            database.transaction(connection -> {
                pass.recorded(connection, batch);
                if (!runs.progress(connection, run.id(), owner, counts, batch.cursorAfter(), failures, requests)) {
                    throw new LostClaim(run.id());
                }
                return null;
            });
            total = total.plus(counts);
            pagesWritten++;
            if (!failures.isEmpty()) {
                FailedRecord first = failures.get(0);
                LOG.warn("run {}: {} record(s) of batch {} failed, first {}: {}", run.id(), failures.size(),
                        batch.number(), InputText.escaped(first.externalId()), InputText.escaped(first.reason()));
            }
        }
    }

    /** A page taken off the writing thread, and how to commit it with the run's checkpoint. */
    private record TakenPage(boolean last, Runnable commit) {
    }

    /** A record whose events differ from what was last written for it (or that was never written). */
    private record Changed(SyncRecord record, byte[] fingerprint, boolean isNew) {
        SyncedRecords.Row row() {
            return new SyncedRecords.Row(record.externalId(), record.sortKey(), record.happensAt(), fingerprint,
                    record.rawFingerprint());
        }
    }

    /**
     * A page fetched in the background, with the fingerprint of each mapped record and the record log's state of the
     * page as read after {@code readAfter} pages had committed.
     */
    private record Fetched(SyncPage page, Map<String, byte[]> fingerprints, Map<String, KnownRecord> known,
                           int readAfter) {
    }

    /** The record-log rows a committed page wrote ({@code commit}: how many pages had committed before it). */
    private record Written(int commit, List<String> ids, List<SortKey> keys) {
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /**
     * What a record maps to, as 16 bytes: event types, person, UTM and event data of each event. Equal
     * fingerprints mean there is nothing to write. MD5 for speed; this detects change, it does not protect.
     */
    static byte[] fingerprint(SyncRecord record) {
        MessageDigest md5 = MD5.get();
        md5.reset();
        // One reused buffer and one digest update per record: an unchanged re-sync fingerprints every record.
        StringBuilder s = TEXT.get();
        s.setLength(0);
        for (NewFunnelEvent e : record.events()) {
            s.append(e.type().id()).append('\u0001')
                    .append(e.person().email()).append('\u0001').append(e.person().firstName()).append('\u0001')
                    .append(e.person().lastName()).append('\u0001').append(e.person().phone()).append('\u0001')
                    .append(e.utm().source()).append('\u0001').append(e.utm().medium()).append('\u0001')
                    .append(e.utm().campaign()).append('\u0001').append(e.utm().term()).append('\u0001')
                    .append(e.utm().content()).append('\u0001').append(e.eventData()).append('\u0002');
        }
        md5.update(s.toString().getBytes(StandardCharsets.UTF_8));
        if (s.capacity() > 64 * 1024) {
            TEXT.remove();
        }
        return md5.digest();
    }

    private static final ThreadLocal<StringBuilder> TEXT = ThreadLocal.withInitial(() -> new StringBuilder(1024));
}
