package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.KnownRecord;
import com.engarde.signupsync.sync.MissingRecords;
import com.engarde.signupsync.sync.SyncPage;
import com.engarde.signupsync.sync.SyncPass;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.EasyAppointmentsStub;
import com.engarde.signupsync.testing.ExpectsWarnings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The next page's request sent while a page is processed (EasyAppointments pages are offsets, so it is known
 * ahead), its answer used for that page and never asked twice, no request past the last page, and the pass
 * closed by the engine whatever ends the invocation.
 */
@ExpectsWarnings("sync run \\d+ of easyappointments failed")
class ReadAheadTest {

    private static Predicate<String> page(int n) {
        return r -> r.startsWith(EasyAppointmentsStub.BASE + "/appointments?page=" + n + "&");
    }

    @Test
    void theNextPageIsRequestedAheadAndItsAnswerIsThatPage() throws InterruptedException {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            SyncPass pass = f.source().open(null);
            try {
                SyncPage first = pass.next(TimeBudget.unlimited());
                assertThat(first.records()).extracting(SyncRecord::externalId).first().isEqualTo("1");
                // Requested by the pass itself, before anyone asked for page 2.
                awaitRequest(f.stub, page(2));

                SyncPage second = pass.next(TimeBudget.unlimited());
                assertThat(second.number()).isEqualTo(2);
                assertThat(second.records()).extracting(SyncRecord::externalId)
                        .containsExactly("11", "12", "13", "14", "15", "16", "17", "18", "19", "20");
                awaitRequest(f.stub, page(3));
                SyncPage third = pass.next(TimeBudget.unlimited());
                assertThat(third.last()).isTrue();
                assertThat(third.records()).hasSize(5);
            } finally {
                pass.close();
            }
            // Each page asked once; nothing after the short last page.
            assertThat(f.stub.count(page(1))).isEqualTo(1);
            assertThat(f.stub.count(page(2))).isEqualTo(1);
            assertThat(f.stub.count(page(3))).isEqualTo(1);
            assertThat(f.stub.count(page(4))).isZero();
        }
    }

    @Test
    void aFullLastPageEndsWithTheEmptyPageAfterItAskedOnce() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(20);

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().created()).isEqualTo(20);
            assertThat(f.stub.count(page(3))).isEqualTo(1);
            assertThat(f.stub.count(page(4))).isZero();
            // services, providers and three listing pages: every request counted by the run.
            assertThat(run.requests()).isEqualTo(5);
        }
    }

    @Test
    void theEngineClosesThePassWhenTheRunEndsAndWhenItFails() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(25);
            AtomicInteger closed = new AtomicInteger();

            SyncRun run = f.engine().execute(f.runs().start("easyappointments", SyncTrigger.MANUAL).run().id(),
                    counting(f.source(), closed, Integer.MAX_VALUE), TimeBudget.unlimited()).orElseThrow();
            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(closed).hasValue(1);

            f.appointments(45);
            SyncRun failed = f.engine().execute(f.runs().start("easyappointments", SyncTrigger.MANUAL).run().id(),
                    counting(f.source(), closed, 3), TimeBudget.unlimited()).orElseThrow();
            assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(closed).hasValue(2);
        }
    }

    /** {@code real}, counting the closes of its passes; a pass's page {@code failAt} fails. */
    private static SyncSource counting(SyncSource real, AtomicInteger closed, int failAt) {
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
                    private int taken;

                    @Override
                    public SyncPage next(TimeBudget budget) {
                        if (++taken == failAt) {
                            throw new IllegalStateException("page " + failAt + " fails here");
                        }
                        return pass.next(budget);
                    }

                    @Override
                    public MissingRecords resolveMissing(SyncPage page, List<KnownRecord> missing, TimeBudget budget) {
                        return pass.resolveMissing(page, missing, budget);
                    }

                    @Override
                    public void close() {
                        closed.incrementAndGet();
                        pass.close();
                    }
                };
            }
        };
    }

    private static void awaitRequest(EasyAppointmentsStub stub, Predicate<String> request) throws InterruptedException {
        for (int i = 0; i < 500 && stub.count(request) == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(stub.count(request)).as("the request sent ahead").isEqualTo(1);
    }
}
