package com.engarde.signupsync.functions.syncdispatch;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: auth, routing and the error body; POST /sync/all itself would start runs. */
@Singleton
class SyncDispatchSample implements SampleWork {

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/sync/all", 405));
    }
}
