package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.testing.FakeSyncSource;
import com.engarde.signupsync.testing.SyncSourceContract;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connector contract for the fake source, the connector bean of the source AddingASourceTest adds, as a
 * listing sorted by key ({@link Deletions#SORTED_LISTING}); {@link Snapshot} runs it again as a complete
 * snapshot.
 */
@ExpectsWarnings({"sync run \\d+ of \\w+ failed: ", "the database refused page", "record\\(s\\) of page \\d+ failed"})
class FakeSourceContractTest extends SyncSourceContract {

    /** How the fake lets the engine notice deletions in this run of the contract. */
    Deletions deletions() {
        return Deletions.SORTED_LISTING;
    }

    /** The contract over the fake as a complete snapshot: deletions noticed at the end of a whole pass. */
    static class Snapshot extends FakeSourceContractTest {
        @Override
        Deletions deletions() {
            return Deletions.COMPLETE_SNAPSHOT;
        }
    }

    @Override
    protected Subject subject() {
        TestDatabase.get().execute("UPDATE funnel_sources SET active = true WHERE source_type = 'eventbrite'");
        SyncFixture f = new SyncFixture(Map.of("test.fake-source", "true"));
        FakeSyncSource fake = f.lambda.context().getBean(FakeSyncSource.class);
        fake.clear();
        fake.noticingDeletions(deletions());
        AtomicReference<Duration> pageTakes = new AtomicReference<>(Duration.ZERO);
        fake.afterPage(() -> TestClock.INSTANCE.advance(pageTakes.get()));
        return new FixtureSubject(f) {
            public SyncSource source() {
                return fake;
            }

            public void records(int n) {
                fake.items(n, Instant.parse("2026-06-01T10:00:00Z"));
            }

            public void delete(int key) {
                fake.remove(key);
            }

            public void spoil(int key) {
                // No cleaning in the fake: the database refuses the NUL and the engine isolates the record.
                fake.put(new FakeSyncSource.Item(key, "person" + key + "@example.com", "Nul\u0000Name",
                        Instant.parse("2026-06-01T10:00:00Z")));
            }

            public void failPage(int page) {
                int at = fake.pagesFetched() + page;
                fake.failOnPage(p -> p == at);
            }

            public void everyPageTakes(Duration duration) {
                pageTakes.set(duration);
            }

            @Override
            public void close() {
                super.close();
                TestDatabase.get().execute("UPDATE funnel_sources SET active = false WHERE source_type = 'eventbrite'");
            }
        };
    }
}
