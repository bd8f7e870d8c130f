package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.easyappointments.EasyAppointmentsSource;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.testing.EasyAppointmentsStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The sync-easyappointments function in-process (its real Lambda handler and application context) against a
 * stub EasyAppointments on 127.0.0.1, an embedded PostgreSQL, and the test clock at 2026-06-15T12:00Z.
 * Small pages (10) and short retry waits keep the tests quick; everything else is as configured in AWS.
 */
final class SyncFixture implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    final EasyAppointmentsStub stub = new EasyAppointmentsStub();
    final LambdaHarness lambda;

    SyncFixture() {
        this(Map.of());
    }

    SyncFixture(Map<String, Object> extra) {
        TestDatabase.get().truncate();
        TestClock.INSTANCE.set(NOW);
        Map<String, Object> properties = new HashMap<>();
        properties.put("test.clock", "mutable");
        properties.put("engarde.database.pool-size", 6);
        properties.put("easyappointments.url", stub.url());
        properties.put("easyappointments.api.key", EasyAppointmentsStub.API_KEY);
        properties.put("easyappointments.page-size", 10);
        properties.put("easyappointments.rate-limit", "100/200ms");
        properties.put("easyappointments.request-timeout", "1s");
        properties.put("signup.sync.http.attempts", 4);
        properties.put("signup.sync.http.base-delay", "10ms");
        properties.put("signup.sync.http.max-delay", "50ms");
        properties.putAll(extra);
        lambda = new LambdaHarness(properties);
    }

    SyncEngine engine() {
        return lambda.context().getBean(SyncEngine.class);
    }

    EasyAppointmentsSource source() {
        return lambda.context().getBean(EasyAppointmentsSource.class);
    }

    SyncRunLog runs() {
        return lambda.context().getBean(SyncRunLog.class);
    }

    InProcessBus bus() {
        return lambda.context().getBean(InProcessBus.class);
    }

    /** Starts a manual run and carries it out here and now, without a time budget; answers how it ended. */
    SyncRun sync() {
        long runId = runs().start("easyappointments", SyncTrigger.MANUAL).run().id();
        return engine().execute(runId, source(), TimeBudget.unlimited()).orElseThrow();
    }

    /** n customers and n appointments (ids 1..n, customer i books appointment i), alternately past and upcoming. */
    void appointments(int n) {
        for (int i = 1; i <= n; i++) {
            stub.addCustomer(i, "Person" + i + "@Example.com", "First" + i, "Last" + i);
            appointment(i, i, i % 2 == 0 ? -10 - i : 5 + i, "Booked");
        }
    }

    /** Appointment {@code id} for customer {@code customer}, starting {@code days} from now, booked 20 days before. */
    void appointment(long id, long customer, int days, String status) {
        LocalDateTime start = LocalDateTime.ofInstant(NOW, ZoneOffset.UTC).plusDays(days).withHour(10).withMinute(0).withSecond(0);
        stub.putAppointment(id, NAIVE.format(start.minusDays(20)), NAIVE.format(start), NAIVE.format(start.plusMinutes(30)),
                status, customer);
    }

    static void await(InProcessBus bus) {
        try {
            if (!bus.awaitIdle(Duration.ofSeconds(30))) {
                throw new AssertionError("the in-process bus did not settle within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        lambda.close();
        stub.close();
    }
}
