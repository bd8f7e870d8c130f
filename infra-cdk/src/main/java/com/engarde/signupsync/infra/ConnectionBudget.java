package com.engarde.signupsync.infra;

import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.persistence.ConnectionsPerInstance;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the database's connections are spent on, checked at synth: every function's reserved concurrency times the
 * connections one instance may open ({@link ConnectionsPerInstance#POOL_SIZE}), plus what is kept for others, must fit
 * the instance's max_connections ({@link Stage#databaseConnections()}). A Lambda past its reserved concurrency is
 * throttled, so no flood on one function can take the connections another needs, and none is ever refused by
 * PostgreSQL for want of a slot. README, "Least privilege", shows the sum.
 */
record ConnectionBudget(int maxConnections, int functionConnections, List<String> byFunction) {

    /** superuser_reserved_connections (3) and rds.rds_superuser_reserved_connections (2), both in max_connections. */
    static final int RESERVED_BY_RDS = 5;
    /** The two single-user rotation functions (master, application role), one connection each. */
    static final int ROTATIONS = 2;
    /** An administrator's psql session, a migration run by hand, a monitoring agent. */
    static final int ADMINISTRATORS = 5;
    static final int HEADROOM = RESERVED_BY_RDS + ROTATIONS + ADMINISTRATORS;

    static ConnectionBudget of(Stage stage, List<FunctionManifest> manifests) {
        List<FunctionManifest> database = manifests.stream().filter(FunctionManifest::database).toList();
        int connections = database.stream().mapToInt(m -> m.reservedConcurrency() * ConnectionsPerInstance.POOL_SIZE).sum();
        List<String> lines = database.stream()
                .map(m -> m.name() + " " + m.reservedConcurrency() + " x " + ConnectionsPerInstance.POOL_SIZE)
                .toList();
        return new ConnectionBudget(stage.databaseConnections(), connections, lines);
    }

    int total() {
        return functionConnections + HEADROOM;
    }

    /** Fails the synth when the functions could open more connections than the database allows. */
    ConnectionBudget check() {
        if (total() > maxConnections) {
            throw new IllegalArgumentException("the functions' reserved concurrency needs " + functionConnections
                    + " database connections (" + byFunction.stream().collect(Collectors.joining(", "))
                    + ") plus " + HEADROOM + " kept for RDS, rotation and administrators: " + total()
                    + " > max_connections " + maxConnections + "; lower a manifest's reservedConcurrency");
        }
        return this;
    }
}
