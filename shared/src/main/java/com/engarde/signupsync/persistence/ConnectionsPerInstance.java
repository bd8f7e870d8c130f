package com.engarde.signupsync.persistence;

/**
 * How many database connections one function instance may hold: its pool's size. A Lambda instance serves one
 * request at a time, so two are plenty. The CDK app multiplies it by each function's reserved concurrency to keep
 * the sum within the database's max_connections (infra ConnectionBudget). No dependencies: the CDK app reads it.
 */
public final class ConnectionsPerInstance {

    public static final int POOL_SIZE = 2;

    private ConnectionsPerInstance() {
    }
}
