package com.engarde.signupsync.bus;


/**
 * Carries out the {@link SyncRequested} events of one source. A sync function declares one as a bean; the
 * {@link LambdaHandler} hands it the events EventBridge delivers, and the {@link InProcessBus} (local run,
 * tests) hands it the events published in the same process. Delivery is at least once: an implementation
 * must do nothing harmful with a repeated event (the sync engine's run claim makes a repeat a no-op).
 */
public interface SyncRequestedHandler {

    /** The {@code source_type} of the events this handles, e.g. {@code easyappointments}. */
    String sourceType();

    /**
     * Whether this process is where the source's events are carried out (a generic handler exists for every
     * connector on the classpath; only the function whose manifest takes the source's events runs them).
     */
    default boolean deployed() {
        return true;
    }

    /** Handles one event, stopping (and arranging a continuation) before the budget runs out. */
    void handle(SyncRequested request, Invocation invocation);
}
