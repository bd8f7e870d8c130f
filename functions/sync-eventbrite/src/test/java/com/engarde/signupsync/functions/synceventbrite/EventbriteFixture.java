package com.engarde.signupsync.functions.synceventbrite;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.eventbrite.EventbriteSource;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.EventbriteStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.RecordedWaits;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sync-eventbrite function in-process (its real Lambda handler and context) against a stub Eventbrite on
 * 127.0.0.1, an embedded PostgreSQL and the test clock at 2026-06-15T12:00Z; the retry policy records its
 * waits (and moves the test clock) instead of sleeping through them.
 */
final class EventbriteFixture implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    /** Attendees and orders made by {@link #attendees} changed at this time, the day before {@link #NOW}. */
    static final String CHANGED = "2026-06-14T12:00:00Z";

    final EventbriteStub stub;
    final LambdaHarness lambda;

    EventbriteFixture(int pageSize) {
        this(pageSize, Map.of());
    }

    /** {@code extra} properties; {@code eventbrite.organization.id} is the stub's organization unless set to "". */
    EventbriteFixture(int pageSize, Map<String, Object> extra) {
        stub = new EventbriteStub(pageSize);
        TestDatabase.get().truncate();
        TestClock.INSTANCE.set(NOW);
        Map<String, Object> properties = new HashMap<>();
        properties.put("test.clock", "mutable");
        properties.put("test.waits", "recorded");
        properties.put("engarde.database.pool-size", 6);
        properties.put("eventbrite.api.url", stub.apiUrl());
        properties.put("eventbrite.oauth.token", EventbriteStub.TOKEN);
        properties.put("eventbrite.organization.id", EventbriteStub.ORGANIZATION);
        properties.put("eventbrite.rate", "off");
        properties.put("eventbrite.request-timeout", "2s");
        properties.put("signup.sync.http.attempts", 4);
        properties.put("signup.sync.http.base-delay", "10ms");
        properties.put("signup.sync.http.max-delay", "50ms");
        properties.putAll(extra);
        lambda = new LambdaHarness(properties);
    }

    SyncEngine engine() {
        return lambda.context().getBean(SyncEngine.class);
    }

    EventbriteSource source() {
        return lambda.context().getBean(EventbriteSource.class);
    }

    /** The waits the retry policy made (recorded, not slept). */
    List<Duration> waits() {
        return lambda.context().getBean(RecordedWaits.class).waits();
    }

    SyncRunLog runs() {
        return lambda.context().getBean(SyncRunLog.class);
    }

    InProcessBus bus() {
        return lambda.context().getBean(InProcessBus.class);
    }

    SyncRun sync() {
        long runId = runs().start("eventbrite", SyncTrigger.MANUAL).run().id();
        return engine().execute(runId, source(), TimeBudget.unlimited()).orElseThrow();
    }

    /** Attendees 1..n of event 9001, each alone in order o{i}, person{i}@example.com, changed at {@link #CHANGED}. */
    void attendees(int n) {
        for (int i = 1; i <= n; i++) {
            stub.addAttendee("9001", "o" + i, Integer.toString(i), "Person" + i + "@Example.com", CHANGED);
        }
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
