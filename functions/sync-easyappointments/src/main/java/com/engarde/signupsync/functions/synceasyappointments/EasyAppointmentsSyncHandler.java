package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.bus.SyncRequested;
import com.engarde.signupsync.bus.SyncRequestedHandler;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.easyappointments.EasyAppointmentsSource;
import com.engarde.signupsync.sync.SyncEngine;
import jakarta.inject.Singleton;

/** Carries out the EasyAppointments runs that SyncRequested events on the bus ask for. */
@Singleton
public class EasyAppointmentsSyncHandler implements SyncRequestedHandler {

    private final SyncEngine engine;
    private final EasyAppointmentsSource source;

    public EasyAppointmentsSyncHandler(SyncEngine engine, EasyAppointmentsSource source) {
        this.engine = engine;
        this.source = source;
    }

    @Override
    public String sourceType() {
        return source.sourceType();
    }

    @Override
    public void handle(SyncRequested request, TimeBudget budget) {
        engine.handle(request, source, budget);
    }
}
