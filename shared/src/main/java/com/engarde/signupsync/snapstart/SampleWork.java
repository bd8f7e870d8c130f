package com.engarde.signupsync.snapstart;

import java.util.List;

/**
 * What one function does on a request, done once without side effects before its SnapStart snapshot, so the
 * classes, JSON mappings and code paths of its first real request are already loaded (and partly compiled).
 * A function module declares one as a bean, in a few lines; {@link SnapshotPriming} runs it.
 */
public interface SampleWork {

    /**
     * Requests sent through the function's own API Gateway handler, with the service token, each answering its
     * status. Database writes are rolled back, so a request may take a write path end to end; it must have no
     * other effect (nothing put on the bus, no vendor called): where it would, sample a read, a validation
     * failure or a method the route does not take.
     */
    List<SampleRequest> requests();

    /** Work below the handler that no request can reach without a side effect (a mapping, a signature check). */
    default void exercise() throws Exception {
    }
}
