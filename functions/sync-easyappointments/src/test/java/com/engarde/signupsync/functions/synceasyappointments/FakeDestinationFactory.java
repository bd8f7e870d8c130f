package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.FakeDestination;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** The whole of the destination FakeDestinationContractTest runs: one bean (and the manifest destination-fake). */
@Factory
@Requires(property = "test.fake-destination", value = "true")
class FakeDestinationFactory {

    static final String TYPE = "fake_destination";

    @Singleton
    FakeDestination fakeDestination() {
        return new FakeDestination(TYPE, 10);
    }
}
