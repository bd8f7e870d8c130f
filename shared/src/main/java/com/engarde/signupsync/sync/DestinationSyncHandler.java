package com.engarde.signupsync.sync;

import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.bus.Invocation;
import com.engarde.signupsync.bus.SyncRequested;
import com.engarde.signupsync.bus.SyncRequestedHandler;
import io.micronaut.context.annotation.EachBean;

/**
 * The bus glue of every destination, as {@link SourceSyncHandler} is of every source: for each
 * {@link SyncDestination} bean, its SyncRequested events (a continuation, a run asked for over the bus) are
 * carried out by the engine where a manifest's bus trigger takes its type.
 */
@EachBean(SyncDestination.class)
class DestinationSyncHandler implements SyncRequestedHandler {

    private final SyncEngine engine;
    private final SyncDestination destination;
    private final boolean deployed;

    DestinationSyncHandler(SyncEngine engine, SyncDestination destination, FunctionManifests manifests) {
        this.engine = engine;
        this.destination = destination;
        this.deployed = manifests.busSources().contains(destination.destinationType());
    }

    @Override
    public boolean deployed() {
        return deployed;
    }

    @Override
    public String sourceType() {
        return destination.destinationType();
    }

    @Override
    public void handle(SyncRequested request, Invocation invocation) {
        engine.handle(request, destination, invocation);
    }
}
