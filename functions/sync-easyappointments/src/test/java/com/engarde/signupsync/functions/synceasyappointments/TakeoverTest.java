package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.bus.Invocation;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.persistence.DatabaseException;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.FakeSyncSource;
import com.engarde.signupsync.testing.Rows;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs that die are picked up at once by the retried invocation; database sessions have time limits. */
class TakeoverTest {

    /** What the runtime does to an invocation at its deadline: nothing of the engine's catches it. */
    private static final class Killed extends Error {
        Killed() {
            super("invocation killed");
        }
    }

    @Test
    void aRunKilledMidPageIsTakenOverAtOnceByTheRetriedInvocationAndByNoOtherOne() {
        try (SyncFixture f = new SyncFixture()) {
            FakeSyncSource source = new FakeSyncSource("eventbrite", 10).items(35, Instant.parse("2026-06-01T10:00:00Z"));
            long runId = f.runs().start("eventbrite", SyncTrigger.MANUAL).run().id();
            source.failOnPage(page -> {
                if (page == 3) {
                    throw new Killed();
                }
                return false;
            });

            assertThatThrownBy(() -> f.engine().execute(runId, source, new Invocation("request-1", TimeBudget.unlimited())))
                    .isInstanceOf(Killed.class);
            SyncRun dead = f.runs().find(runId).orElseThrow();
            assertThat(dead.status()).isEqualTo(SyncStatus.RUNNING);
            assertThat(dead.counts().fetched()).isEqualTo(20);
            source.failOnPage(page -> false);

            // Another request finds the run held (its heartbeat is fresh) and leaves it alone.
            assertThat(f.engine().execute(runId, source, new Invocation("request-2", TimeBudget.unlimited()))).isEmpty();
            // Lambda's retry of the same request is the same owner: it takes over now, from the last checkpoint.
            Optional<SyncRun> retried = f.engine().execute(runId, source, new Invocation("request-1", TimeBudget.unlimited()));

            assertThat(retried).get().extracting(SyncRun::status).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(retried.get().counts().fetched()).isEqualTo(35);
            assertThat(retried.get().counts().created()).isEqualTo(35);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE source_type = 'eventbrite'")).isEqualTo(35);
        }
    }

    @Test
    void everySessionHasStatementLockAndIdleTransactionLimits() throws Exception {
        try (SyncFixture f = new SyncFixture(Map.of("engarde.database.statement-timeout", "300ms",
                "engarde.database.lock-timeout", "200ms", "engarde.database.idle-in-transaction-timeout", "5s"))) {
            Database database = f.lambda.context().getBean(Database.class);

            Map<String, String> settings = database.read(c -> {
                Map<String, String> found = new LinkedHashMap<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, setting FROM pg_settings"
                        + " WHERE name IN ('statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout')"
                        + " ORDER BY name")) {
                    while (rs.next()) {
                        found.put(rs.getString(1), rs.getString(2));
                    }
                }
                return found;
            });
            assertThat(settings).containsExactly(Map.entry("idle_in_transaction_session_timeout", "5000"),
                    Map.entry("lock_timeout", "200"), Map.entry("statement_timeout", "300"));

            assertThatThrownBy(() -> database.read(c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("SELECT pg_sleep(5)");
                }
            })).isInstanceOfSatisfying(DatabaseException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        }
    }
}
