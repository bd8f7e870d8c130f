package com.engarde.signupsync.testing;

import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.KnownRecord;
import com.engarde.signupsync.sync.MissingRecords;
import com.engarde.signupsync.sync.SyncPage;
import com.engarde.signupsync.sync.SyncPass;
import com.engarde.signupsync.sync.SyncSource;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connector as it is, with a test's script around its pages: the fetch of one page fails (an invocation
 * dying there), and every page takes a given time of the {@link TestClock}. For contract tests of connectors
 * whose vendor offers no such seam of its own (the Posh.VIP replay reads the database).
 */
public final class ScriptedSource implements SyncSource {

    private final SyncSource connector;
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicInteger failAt = new AtomicInteger(-1);
    private final AtomicReference<Duration> pageTakes = new AtomicReference<>(Duration.ZERO);

    public ScriptedSource(SyncSource connector) {
        this.connector = connector;
    }

    /** The {@code page}-th page fetched from now on fails. */
    public void failPage(int page) {
        failAt.set(pages.get() + page);
    }

    public void everyPageTakes(Duration duration) {
        pageTakes.set(duration);
    }

    @Override
    public String sourceType() {
        return connector.sourceType();
    }

    @Override
    public Deletions deletions() {
        return connector.deletions();
    }

    @Override
    public SyncPass open(JsonNode checkpoint) {
        SyncPass pass = connector.open(checkpoint);
        return new SyncPass() {
            @Override
            public SyncPage next(TimeBudget budget) {
                if (pages.incrementAndGet() == failAt.get()) {
                    throw new IllegalStateException("scripted: page " + failAt.get() + " fails");
                }
                SyncPage page = pass.next(budget);
                TestClock.INSTANCE.advance(pageTakes.get());
                return page;
            }

            @Override
            public MissingRecords resolveMissing(SyncPage page, List<KnownRecord> missing, TimeBudget budget) {
                return pass.resolveMissing(page, missing, budget);
            }
        };
    }
}
