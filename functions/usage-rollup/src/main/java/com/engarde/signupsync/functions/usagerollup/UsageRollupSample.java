package com.engarde.signupsync.functions.usagerollup;

import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.admin.AdminTokens;
import com.engarde.signupsync.platform.UsageRollupRequests;
import com.engarde.signupsync.platform.UsageRollups;
import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Priming: the route filter, the admin refusal and the error body (a sample request carries the service token, which
 * an admin route refuses); then what an admin's request adds below the filter: the admin token's checks (against a
 * throwaway key), and a rollup of one day and its answer's JSON, which the priming rolls back.
 */
@Singleton
class UsageRollupSample implements SampleWork {

    private static final byte[] ONE_DAY = "{\"date_from\":\"2026-03-01\",\"date_to\":\"2026-03-01\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final AdminTokens tokens;
    private final UsageRollupRequests requests;
    private final UsageRollups rollups;
    private final ObjectMapper json;
    private final JsonBodies bodies;

    UsageRollupSample(AdminTokens tokens, UsageRollupRequests requests, UsageRollups rollups, ObjectMapper json,
                      JsonBodies bodies) {
        this.tokens = tokens;
        this.requests = requests;
        this.rollups = rollups;
        this.json = json;
        this.bodies = bodies;
    }

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.post("/api/admin/platform/usage/rollups", "{}", 401));
    }

    @Override
    public void exercise() throws Exception {
        tokens.prime();
        json.writeValueAsBytes(rollups.roll(requests.range(bodies.object(ONE_DAY, UsageRollupRequests.MAX_BODY_BYTES))));
    }
}
