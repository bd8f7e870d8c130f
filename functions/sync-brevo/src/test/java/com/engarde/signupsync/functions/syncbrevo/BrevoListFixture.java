package com.engarde.signupsync.functions.syncbrevo;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.emaillist.EmailListScope;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.brevo.BrevoListDestination;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.BrevoStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The sync-brevo function in-process against a stub Brevo account: list 7, batches of 10, the test clock held. */
final class BrevoListFixture implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    static final long LIST = 7;

    final BrevoStub brevo = new BrevoStub();
    final LambdaHarness lambda;

    BrevoListFixture() {
        this(Map.of());
    }

    BrevoListFixture(Map<String, Object> extra) {
        TestDatabase.get().truncate();
        TestClock.INSTANCE.set(NOW);
        brevo.clock(TestClock.INSTANCE::instant);
        Map<String, Object> properties = new HashMap<>();
        properties.put("test.clock", "mutable");
        properties.put("test.waits", "recorded");
        properties.put("engarde.database.pool-size", 6);
        properties.put("brevo.api.url", brevo.apiUrl());
        properties.put("brevo.api.key", BrevoStub.API_KEY);
        properties.put("brevo.list.id", Long.toString(LIST));
        properties.put("brevo.list.batch-size", 10);
        properties.put("signup.sync.http.attempts", 4);
        properties.put("signup.sync.http.base-delay", "10ms");
        properties.put("signup.sync.http.max-delay", "50ms");
        properties.putAll(extra);
        lambda = new LambdaHarness(properties);
    }

    BrevoListDestination destination() {
        return lambda.context().getBean(BrevoListDestination.class);
    }

    SyncEngine engine() {
        return lambda.context().getBean(SyncEngine.class);
    }

    SyncRunLog runs() {
        return lambda.context().getBean(SyncRunLog.class);
    }

    InProcessBus bus() {
        return lambda.context().getBean(InProcessBus.class);
    }

    /** Waits until the in-process bus has carried out the continuations put on it. */
    void settle() {
        try {
            if (!bus().awaitIdle(java.time.Duration.ofSeconds(30))) {
                throw new AssertionError("the in-process bus did not settle within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A run of every lead into the list, carried out here and now without a time budget. */
    SyncRun sync() {
        long runId = runs().start(BrevoListDestination.TYPE, SyncTrigger.MANUAL).run().id();
        return engine().execute(runId, destination(), TimeBudget.unlimited()).orElseThrow();
    }

    /** A run of {@code scope}, carried out here and now. */
    SyncRun sync(EmailListScope scope) {
        long runId = runs().start(BrevoListDestination.TYPE, SyncTrigger.MANUAL, scope.toJson()).run().id();
        return engine().execute(runId, destination(), TimeBudget.unlimited()).orElseThrow();
    }

    /** Leads 1..n, person{i}@example.com. */
    void leads(int n) {
        for (int i = 1; i <= n; i++) {
            lead("person" + i + "@example.com", "First" + i, null);
        }
    }

    long lead(String email, String firstName, String phone) {
        return Rows.number("INSERT INTO leads (email, first_name, last_name, phone) VALUES (?, ?, 'Last', ?) RETURNING id",
                email, firstName, phone);
    }

    void booking(long lead, String email, long appointmentId, Instant start, String service) {
        Rows.number("INSERT INTO easyappointments_appointments (appointment_id, booked_at, start_at, end_at, timezone,"
                        + " status, status_outcome, service_id, service_name, customer_id, customer_email,"
                        + " customer_first_name, customer_last_name, customer_phone, lead_id, synced_at)"
                        + " VALUES (?, ?, ?, ?, 'UTC', 'Booked', 'completed', 1, ?, ?, ?, 'First', 'Last', NULL, ?, now())"
                        + " RETURNING appointment_id",
                appointmentId, Timestamp.from(start.minusSeconds(86400)), Timestamp.from(start),
                Timestamp.from(start.plusSeconds(1800)), service, appointmentId, email, lead);
    }

    @Override
    public void close() {
        try {
            lambda.close();
        } finally {
            brevo.close();
        }
    }
}
