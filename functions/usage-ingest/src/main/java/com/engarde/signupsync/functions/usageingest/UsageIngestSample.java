package com.engarde.signupsync.functions.usageingest;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: one record through validation and the set-wise write, rolled back by the priming (nothing stays stored). */
@Singleton
class UsageIngestSample implements SampleWork {

    private static final String RECORD = "{\"records\":[{\"idempotency_key\":\"priming\",\"occurred_at\":"
            + "\"2026-03-01T10:00:00Z\",\"tenant_id\":\"00000000-0000-0000-0000-0000000000aa\",\"provider\":\"openai\","
            + "\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":\"0.000001\"}]}";

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.post("/usage/metrics", RECORD, 200));
    }
}
