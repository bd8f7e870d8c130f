package com.engarde.signupsync.functions.syncbrevo;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: routing, the admin auth and the error body, without a token (a run is not started). */
@Singleton
class EmailListSample implements SampleWork {

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.post("/api/admin/email-list/sync", "{}", 401));
    }
}
