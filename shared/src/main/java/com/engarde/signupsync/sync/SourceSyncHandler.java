package com.engarde.signupsync.sync;

import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.bus.Invocation;
import com.engarde.signupsync.bus.SyncRequested;
import com.engarde.signupsync.bus.SyncRequestedHandler;
import io.micronaut.context.annotation.EachBean;

/**
 * The bus glue of every pull source, written once: for each {@link SyncSource} bean in the context, its
 * SyncRequested events are carried out by the engine. A source's function adds nothing for it.
 */
@EachBean(SyncSource.class)
class SourceSyncHandler implements SyncRequestedHandler {

    private final SyncEngine engine;
    private final SyncSource source;
    private final boolean deployed;

    SourceSyncHandler(SyncEngine engine, SyncSource source, FunctionManifests manifests) {
        this.engine = engine;
        this.source = source;
        this.deployed = manifests.busSources().contains(source.sourceType());
    }

    @Override
    public boolean deployed() {
        return deployed;
    }

    @Override
    public String sourceType() {
        return source.sourceType();
    }

    @Override
    public void handle(SyncRequested request, Invocation invocation) {
        engine.handle(request, source, invocation);
    }
}
