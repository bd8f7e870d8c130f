package com.engarde.signupsync.functions.adminplatform;

import com.engarde.signupsync.admin.AdminTokens;
import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Priming: the route filter, the admin refusal and the error body (a sample request carries the service token, which
 * an admin route refuses); then what an admin's request adds below the filter: the admin token's checks (against a
 * throwaway key), and the route's read and its answer's JSON, called directly. No write.
 */
@Singleton
class AdminPlatformSample implements SampleWork {

    private final AdminTokens tokens;
    private final AdminPlatformController controller;
    private final ObjectMapper json;

    AdminPlatformSample(AdminTokens tokens, AdminPlatformController controller, ObjectMapper json) {
        this.tokens = tokens;
        this.controller = controller;
        this.json = json;
    }

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/api/admin/platform/admins", 401), SampleRequest.get("/api/admin/audit", 401));
    }

    @Override
    public void exercise() throws Exception {
        tokens.prime();
        json.writeValueAsBytes(controller.list());
    }
}
