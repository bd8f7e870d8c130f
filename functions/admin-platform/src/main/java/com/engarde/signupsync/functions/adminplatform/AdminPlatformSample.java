package com.engarde.signupsync.functions.adminplatform;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: the route filter, the admin refusal and the error body (a sample request carries the service token, which an admin route refuses); no write. */
@Singleton
class AdminPlatformSample implements SampleWork {

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/api/admin/platform/admins", 401), SampleRequest.get("/api/admin/audit", 401));
    }
}
