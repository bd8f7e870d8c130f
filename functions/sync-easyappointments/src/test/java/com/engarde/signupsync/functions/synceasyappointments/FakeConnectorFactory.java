package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.FakeSyncSource;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Instant;

/** The whole connector of the source AddingASourceTest adds: one bean. */
@Factory
@Requires(property = "test.fake-source", value = "true")
class FakeConnectorFactory {

    static final int ITEMS = 23;

    // Eventbrite's own connector has landed: the fake stands in for it, the test being about the plug-in path.
    @Singleton
    @io.micronaut.context.annotation.Replaces(com.engarde.signupsync.sources.eventbrite.EventbriteSource.class)
    FakeSyncSource eventbrite() {
        return new FakeSyncSource("eventbrite", 10).items(ITEMS, Instant.parse("2026-06-01T10:00:00Z"));
    }
}
