package com.engarde.signupsync.functions.funnelanalytics;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LogLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One access line per request, through the real Lambda handler: route template, status, latency and the request's ids. */
class AccessLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> logged(LambdaHarness lambda, APIGatewayProxyRequestEvent request) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            lambda.handle(request);
        } finally {
            System.setErr(original);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).lines().toList()) {
            assertThat(LogLines.problem(line)).as(line).isEmpty();
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static JsonNode accessLine(List<JsonNode> lines) {
        return lines.stream().filter(l -> l.path("logger").asText().endsWith(".AccessLog")).reduce((a, b) -> {
            throw new AssertionError("two access lines: " + a + " and " + b);
        }).orElseThrow(() -> new AssertionError("no access line in " + lines));
    }

    @Test
    void aRequestIsOneAccessLineWithItsRouteTemplateStatusLatencyAndIds() throws Exception {
        try (LambdaHarness lambda = new LambdaHarness(Map.of())) {
            APIGatewayProxyRequestEvent request = LambdaHarness.request("GET", "/sync/status/zoom", null);
            request.getHeaders().put("X-Correlation-Id", "order-flow-42");

            JsonNode line = accessLine(logged(lambda, request));

            assertThat(line.path("route").asText()).isEqualTo("GET /sync/status/{source_type}");
            assertThat(line.path("status").asInt()).isEqualTo(200);
            assertThat(line.path("latency_ms").isIntegralNumber()).isTrue();
            assertThat(line.path("function_name").asText()).isEqualTo("funnel-analytics");
            assertThat(line.path("function_request_id").asText()).isEqualTo("test-request");
            assertThat(line.path("correlation_id").asText()).isEqualTo("order-flow-42");
            assertThat(line.path("cold_start").isBoolean()).isTrue();
            assertThat(line.path("message").asText()).isEqualTo("GET /sync/status/{source_type} answered 200 in "
                    + line.path("latency_ms").asLong() + " ms");
        }
    }

    @Test
    void aRefusedRequestIsLoggedTooWithoutItsTokenAndAnEmailInThePathIsNotTheRoute() throws Exception {
        try (LambdaHarness lambda = new LambdaHarness(Map.of())) {
            APIGatewayProxyRequestEvent request = LambdaHarness.request("GET", "/sync/status/jane@example.com", null);
            request.getHeaders().put("Authorization", "Bearer wrong-token-value");
            request.getHeaders().put("X-Correlation-Id", "jane@example.com");

            List<JsonNode> lines = logged(lambda, request);
            JsonNode line = accessLine(lines);

            assertThat(line.path("status").asInt()).isEqualTo(401);
            assertThat(line.path("route").asText()).isEqualTo("GET /sync/status/{source_type}");
            assertThat(line.path("correlation_id").asText()).as("not a correlation id").isEqualTo("test-request");
            assertThat(lines.toString()).doesNotContain("wrong-token-value").doesNotContain("jane");
        }
    }

    @Test
    void onlyTheFirstRequestOfAJvmIsAColdStart() throws Exception {
        try (LambdaHarness lambda = new LambdaHarness(Map.of())) {
            logged(lambda, LambdaHarness.request("GET", "/health", null));
            JsonNode second = accessLine(logged(lambda, LambdaHarness.request("GET", "/health", null)));
            assertThat(second.path("cold_start").asBoolean()).isFalse();
        }
    }
}
