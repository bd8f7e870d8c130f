package com.engarde.signupsync.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Usage records as the En Garde backend posts them to POST /usage/metrics. */
public final class UsageRecords {

    public static final String PLATFORM_TENANT = "00000000-0000-0000-0000-000000000002";

    private static final ObjectMapper JSON = new ObjectMapper();

    private UsageRecords() {
    }

    /** A record of {@code tokens} input tokens costing {@code cost} (a decimal string) for a tenant's user. */
    public static ObjectNode record(String key, String occurredAt, String tenantId, String userId, String cost,
                                    long tokens) {
        ObjectNode r = JSON.createObjectNode()
                .put("idempotency_key", key).put("occurred_at", occurredAt).put("tenant_id", tenantId)
                .put("provider", "openai").put("model", "gpt-4o").put("input_tokens", tokens)
                .put("output_tokens", 0).put("cost_usd", cost);
        if (userId != null) {
            r.put("user_id", userId).put("user_email", "user-" + userId.substring(0, 8) + "@example.com");
        }
        return r;
    }

    public static String batch(List<ObjectNode> records) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("records");
        records.forEach(items::add);
        return body.toString();
    }

    /** A deterministic UUID for test ids: {@code uuid(1, 7)} is 00000001-0000-4000-8000-000000000007. */
    public static String uuid(int tag, int n) {
        return String.format("%08x-0000-4000-8000-%012x", tag, n);
    }
}
