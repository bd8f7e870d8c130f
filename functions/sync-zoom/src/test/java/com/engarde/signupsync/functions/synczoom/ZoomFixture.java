package com.engarde.signupsync.functions.synczoom;

import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.zoom.ZoomSource;
import com.engarde.signupsync.sync.SyncDispatch;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.testing.ZoomStub;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sync-zoom function in-process (its real Lambda handler and context) against a stub Zoom on 127.0.0.1,
 * an embedded PostgreSQL and the test clock at 2026-06-15T12:00Z; the retry policy records its waits instead
 * of sleeping through them.
 */
final class ZoomFixture implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");

    final ZoomStub stub = new ZoomStub();
    final LambdaHarness lambda;

    ZoomFixture(int pageSize) {
        this(pageSize, Map.of());
    }

    ZoomFixture(int pageSize, Map<String, Object> extra) {
        TestDatabase.get().truncate();
        TestClock.INSTANCE.set(NOW);
        Map<String, Object> properties = new HashMap<>();
        properties.put("test.clock", "mutable");
        properties.put("engarde.database.pool-size", 6);
        properties.put("zoom.api.url", stub.apiUrl());
        properties.put("zoom.oauth.url", stub.oauthUrl());
        properties.put("zoom.account.id", ZoomStub.ACCOUNT_ID);
        properties.put("zoom.client.id", ZoomStub.CLIENT_ID);
        properties.put("zoom.client.secret", ZoomStub.CLIENT_SECRET);
        properties.put("zoom.page-size", pageSize);
        properties.put("zoom.medium-rate", "off");
        properties.put("zoom.heavy-rate", "off");
        properties.put("zoom.request-timeout", "2s");
        properties.put("signup.sync.http.attempts", 4);
        properties.put("signup.sync.http.base-delay", "10ms");
        properties.put("signup.sync.http.max-delay", "50ms");
        properties.putAll(extra);
        lambda = new LambdaHarness(properties);
    }

    SyncEngine engine() {
        return lambda.context().getBean(SyncEngine.class);
    }

    ZoomSource source() {
        return lambda.context().getBean(ZoomSource.class);
    }

    SyncRunLog runs() {
        return lambda.context().getBean(SyncRunLog.class);
    }

    SyncDispatch dispatch() {
        return lambda.context().getBean(SyncDispatch.class);
    }

    InProcessBus bus() {
        return lambda.context().getBean(InProcessBus.class);
    }

    SyncRun sync() {
        long runId = runs().start("zoom", SyncTrigger.MANUAL).run().id();
        return engine().execute(runId, source(), TimeBudget.unlimited()).orElseThrow();
    }

    /** One host with webinar {@code webinar} and registrants 1..n (approved, person{i}@example.com). */
    void webinar(String webinar, int n) {
        stub.addUser("host-1");
        stub.addWebinar("host-1", webinar, "Webinar " + webinar);
        for (int i = 1; i <= n; i++) {
            stub.addRegistrant(webinar, Integer.toString(i), "Person" + i + "@Example.com", "approved");
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
