package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.sync.SyncDestination;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.DestinationContract;
import com.engarde.signupsync.testing.FakeDestination;
import com.engarde.signupsync.testing.TestClock;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The destination contract for the fake destination, a bean of the function in-process: its runs on the engine,
 * its continuations over the in-process bus to the destination's bus handler, as a real destination's would go.
 */
class FakeDestinationContractTest extends DestinationContract {

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
