package com.engarde.signupsync.functions.adminsignupqueue;

import com.engarde.signupsync.admin.AdminTokens;
import com.engarde.signupsync.signup.SignupQueue;
import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Priming: the route filter, the admin refusal and the error body (a sample request carries the service token, which
 * an admin route refuses), the admin token's checks (against a throwaway key), and the queue's read and its answer's
 * JSON, called directly. No write, and no email.
 */
@Singleton
class SignupQueueSample implements SampleWork {

    private final AdminTokens tokens;
    private final SignupQueue queue;
    private final ObjectMapper json;

    SignupQueueSample(AdminTokens tokens, SignupQueue queue, ObjectMapper json) {
        this.tokens = tokens;
        this.queue = queue;
        this.json = json;
    }

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/api/admin/signup-queue", 401));
    }

    @Override
    public void exercise() throws Exception {
        tokens.prime();
        json.writeValueAsBytes(queue.list(Map.of()));
    }
}
