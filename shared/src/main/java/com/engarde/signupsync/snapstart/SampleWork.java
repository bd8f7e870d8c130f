package com.engarde.signupsync.snapstart;

import java.util.List;

/**
 * What one function does on a request, done once without side effects before its SnapStart snapshot, so the
 * classes, JSON mappings and code paths of its first real request are already loaded (and partly compiled).
 * A function module declares one as a bean, in a few lines; {@link SnapshotPriming} runs it.
 */
public interface SampleWork {

    /**
     * Requests sent through the function's own API Gateway handler, with the service token: each must change
     * nothing (a read, a validation failure, a method the route does not take) and answer its status.
     */
    List<SampleRequest> requests();

    /** Work below the handler that no request can reach without a side effect (a mapping, a signature check). */
    default void exercise() throws Exception {
    }
}
