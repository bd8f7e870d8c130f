package com.engarde.signupsync.testing;

import com.engarde.signupsync.time.ClockFactory;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;

/** With {@code test.clock=mutable}, the service's one clock is {@link TestClock#INSTANCE}. */
@Factory
@Requires(property = "test.clock", value = "mutable")
public class TestClockFactory {

    @Singleton
    @Replaces(bean = Clock.class, factory = ClockFactory.class)
    public Clock clock() {
        return TestClock.INSTANCE;
    }
}
