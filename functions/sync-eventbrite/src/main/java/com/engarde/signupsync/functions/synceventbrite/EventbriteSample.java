package com.engarde.signupsync.functions.synceventbrite;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.engarde.signupsync.snapstart.TlsPriming;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: the routing of the sync route (GET on it is 405: a POST would start a run) and the TLS set-up the Eventbrite client uses. */
@Singleton
class EventbriteSample implements SampleWork {

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/sync/eventbrite", 405));
    }

    @Override
    public void exercise() throws Exception {
        TlsPriming.clientHello();
    }
}
