package com.engarde.signupsync.functions.syncbrevo;

import com.engarde.signupsync.sync.SyncDestination;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.DestinationContract;
import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.testing.TestClock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The destination contract for the Brevo list, a bean of the function in-process against a stub Brevo: leads
 * 1..n are the records, the stub's contacts what the vendor holds. A run reads the account's changes first (one
 * request while it holds fewer than 1,000 contacts), then each new contact costs one request.
 */
@ExpectsWarnings({"record\\(s\\) of batch \\d+ failed", "sync run \\d+ of brevo failed: "})
class BrevoListContractTest extends DestinationContract {

    @Override
    protected Subject subject() {
        BrevoListFixture b = new BrevoListFixture();
        AtomicReference<Duration> batchTakes = new AtomicReference<>(Duration.ZERO);
        AtomicInteger total = new AtomicInteger();
        // A batch ends with its tenth contact, or with the last lead.
        b.brevo.afterAccepted(email -> {
            int key = Integer.parseInt(email.substring("person".length(), email.indexOf('@')));
            if (key % 10 == 0 || key == total.get()) {
                TestClock.INSTANCE.advance(batchTakes.get());
            }
        });
        return new Subject() {
            public SyncDestination destination() {
                return b.destination();
            }

            public SyncEngine engine() {
                return b.engine();
            }

            public SyncRunLog runs() {
                return b.runs();
            }

            public void records(int n) {
                total.set(n);
                b.leads(n);
            }

            public int held() {
                return b.brevo.contacts();
            }

            public int accepted() {
                return b.brevo.accepted();
            }

            public int requests() {
                return b.brevo.contactRequests();
            }

            public void refuse(int key) {
                b.brevo.refuse("person" + key + "@example.com");
            }

            public void failBatch(int batch) {
                // A run first reads the account's changes (one request), then sends one request per new contact:
                // the batch's first request answers 401.
                b.brevo.failContactRequest(b.brevo.contactRequests() + 1 + (batch - 1) * batchSize() + 1,
                        401, "unauthorized", "Key not found");
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
                b.settle();
            }

            public void close() {
                b.close();
            }
        };
    }
}
