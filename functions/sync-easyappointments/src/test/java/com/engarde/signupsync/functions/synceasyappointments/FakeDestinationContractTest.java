package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.SyncDestination;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.DestinationContract;
import com.engarde.signupsync.testing.FakeDestination;
import com.engarde.signupsync.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The destination contract for the fake destination, a bean of the function in-process: its runs on the engine,
 * its continuations over the in-process bus to the destination's bus handler, as a real destination's would go.
 */
@ExpectsWarnings({"record\\(s\\) of batch \\d+ failed", "sync run \\d+ of fake_destination failed: "})
class FakeDestinationContractTest extends DestinationContract {

    /** Beyond the contract (a stub vendor may have no quota to spend): the engine's wait for a quota, for a destination. */
    @Test
    void aSpentQuotaEndsTheRunAsPartialAndItsContinuationWaitsForTheReset() {
        Instant reset = SyncFixture.NOW.plus(Duration.ofHours(12));
        SyncFixture f = new SyncFixture(Map.of("test.fake-destination", "true"));
        FakeDestination fake = f.lambda.context().getBean(FakeDestination.class).register();
        try (f) {
            fake.records(25);
            fake.quotaSpentOnBatch(batch -> batch == 2, reset);
            long runId = f.runs().start(FakeDestinationFactory.TYPE, SyncTrigger.MANUAL).run().id();

            SyncRun first = f.engine().execute(runId, fake, TimeBudget.unlimited()).orElseThrow();

            assertThat(first.status()).isEqualTo(SyncStatus.PARTIAL);
            assertThat(first.counts().created()).isEqualTo(10);
            SyncRun waiting = f.runs().running(FakeDestinationFactory.TYPE).orElseThrow();
            assertThat(waiting.continuesRunId()).isEqualTo(runId);
            assertThat(waiting.notBefore()).isEqualTo(reset);
            assertThat(f.bus().held()).singleElement().satisfies(e -> assertThat(e.runId()).isEqualTo(waiting.id()));
            assertThat(f.bus().deliverDue()).isZero();

            TestClock.INSTANCE.set(reset);
            assertThat(f.bus().deliverDue()).isEqualTo(1);
            SyncFixture.await(f.bus());

            SyncRun continued = f.runs().find(waiting.id()).orElseThrow();
            assertThat(continued.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(continued.counts().created()).isEqualTo(15);
            assertThat(fake.held()).isEqualTo(25);
        } finally {
            fake.unregister();
        }
    }

    @Override
    protected Subject subject() {
        SyncFixture f = new SyncFixture(Map.of("test.fake-destination", "true"));
        FakeDestination fake = f.lambda.context().getBean(FakeDestination.class).register();
        AtomicReference<Duration> batchTakes = new AtomicReference<>(Duration.ZERO);
        fake.afterBatch(() -> TestClock.INSTANCE.advance(batchTakes.get()));
        return new Subject() {
            public SyncDestination destination() {
                return fake;
            }

            public SyncEngine engine() {
                return f.engine();
            }

            public SyncRunLog runs() {
                return f.runs();
            }

            public void records(int n) {
                fake.records(n);
            }

            public int held() {
                return fake.held();
            }

            public int accepted() {
                return fake.accepted();
            }

            public int requests() {
                return fake.requests();
            }

            public void refuse(int key) {
                fake.refuse(key);
            }

            public void failBatch(int batch) {
                int at = fake.requests() + batch;
                fake.failOnBatch(b -> b == at);
            }

            public void everyBatchTakes(Duration duration) {
                batchTakes.set(duration);
            }

            public int batchSize() {
                return 10;
            }

            public Instant now() {
                return TestClock.INSTANCE.instant();
            }

            public void settle() {
                SyncFixture.await(f.bus());
            }

            public void close() {
                f.close();
                fake.unregister();
            }
        };
    }
}
