package com.engarde.signupsync.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Requests to admin routes as API Gateway proxies them: query parameters, and a bearer token or none. */
public final class AdminRequests {

    private AdminRequests() {
    }

    /** A handler configured for admin JWTs ({@link AdminJwts#PROPERTIES}), with the test clock and a small pool. */
    public static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>(AdminJwts.PROPERTIES);
        properties.put("test.clock", "mutable");
        properties.put("engarde.database.pool-size", 4);
        return properties;
    }

    /**
     * A sample event of events/apigateway/ for an admin route, its {@code Bearer {{ADMIN_JWT}}} replaced by a
     * superuser's token valid now (signed with {@link AdminJwts#SECRET}).
     */
    public static APIGatewayProxyRequestEvent sample(String name) {
        APIGatewayProxyRequestEvent event = LambdaHarness.sample(name);
        event.getHeaders().put("Authorization", "Bearer " + AdminJwts.superuser(Instant.now()));
        return event;
    }

    /** {@code token} null sends no Authorization header at all. */
    public static APIGatewayProxyRequestEvent request(String method, String path, String body, Map<String, String> params,
                                                      String token) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request(method, path, body);
        request.setQueryStringParameters(params);
        Map<String, List<String>> multi = new HashMap<>();
        params.forEach((k, v) -> multi.put(k, List.of(v)));
        request.setMultiValueQueryStringParameters(multi);
        request.getHeaders().remove("Authorization");
        if (token != null) {
            request.getHeaders().put("Authorization", "Bearer " + token);
        }
        return request;
    }
}
