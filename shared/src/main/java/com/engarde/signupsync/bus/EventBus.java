package com.engarde.signupsync.bus;

import java.util.List;

/**
 * Puts {@link SyncRequested} events on the bus: EventBridge when {@code SIGNUP_SYNC_EVENT_BUS_NAME} is set
 * ({@link EventBridgeBus}), otherwise the {@link InProcessBus} of the local run and the tests. Either way
 * the same events reach the same {@link SyncRequestedHandler}s. An event with a not-before time is not
 * delivered before then: the in-process bus holds it; EventBridge cannot, so its run waits in the run log for
 * the first dispatch after that time.
 */
public interface EventBus {

    /** Publishes every event or throws; an event may be delivered more than once, never silently dropped. */
    void publish(List<SyncRequested> events);
}
