package com.engarde.signupsync.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Runs in a fresh JVM with only funnel-events' jar: builds the handler as the Lambda runtime would (from the
 * environment) and answers one event. Prints milliseconds from JVM start to the response.
 */
public final class ColdStartProbe {
    public static void main(String[] args) {
        ApiGatewayProxyRequestEventFunction handler = new ApiGatewayProxyRequestEventFunction();
        String body = "{\"source_type\":\"manual\",\"event_type\":\"lead_captured\",\"email\":\"" + args[0]
                + "-" + System.nanoTime() + "@example.com\",\"external_id\":\"" + args[0] + "-" + System.nanoTime() + "\"}";
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST").withPath("/funnel/event").withResource("/funnel/event").withBody(body)
                .withHeaders(Map.of("Authorization", "Bearer " + System.getenv("SIGNUP_SYNC_SERVICE_TOKEN"),
                        "Content-Type", "application/json"))
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withStage("bench"));
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("COLD-START " + millis + " " + response.getStatusCode());
        System.exit(0);
    }
}
