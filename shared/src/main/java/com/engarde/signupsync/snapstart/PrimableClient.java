package com.engarde.signupsync.snapstart;

/**
 * A client whose first call loads and links far more than any request of its function can reach without an
 * effect (the AWS SDK's request pipeline, marshalling, endpoint rules and signing). {@link SnapshotPriming} calls
 * {@link #prime()} on every such bean the function has, before the snapshot.
 */
public interface PrimableClient {

    /**
     * The client's call end to end, answered in-process: nothing leaves the process, no credential or secret is
     * resolved, nothing is published, and nothing primed is kept.
     */
    void prime() throws Exception;
}
