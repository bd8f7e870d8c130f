package com.engarde.signupsync.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A function's real Lambda handler, in-process, configured as the Lambda would be (database URL, service
 * token), fed API Gateway proxy events the way API Gateway sends them.
 */
public final class LambdaHarness implements AutoCloseable {

    public static final String TOKEN = "test-service-token-not-a-secret";
    public static final String PREVIOUS_TOKEN = "test-previous-token-not-a-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApplicationContext context;
    private final ApiGatewayProxyRequestEventFunction handler;

    public LambdaHarness(Map<String, Object> extraProperties) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("engarde.database.url", TestDatabase.get().url());
        properties.put("signup.sync.service.token", TOKEN);
        properties.put("signup.sync.service.token.previous", PREVIOUS_TOKEN);
        properties.putAll(extraProperties);
        this.context = ApplicationContext.builder().properties(properties).start();
        this.handler = new ApiGatewayProxyRequestEventFunction(context);
    }

    public LambdaHarness() {
        this(Map.of());
    }

    public ApplicationContext context() {
        return context;
    }

    public Response handle(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent proxied = handler.handleRequest(event, null);
        Response response = new Response(proxied.getStatusCode(), proxied.getBody(), proxied.getHeaders());
        // The API document is the contract: every answer a test sees is checked against it.
        ApiExchanges.observe(event, response);
        return response;
    }

    /** A request as API Gateway would proxy it, authenticated with the service token. */
    public static APIGatewayProxyRequestEvent request(String method, String path, String body) {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withPath(path)
                .withResource(path)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withStage("test").withHttpMethod(method).withPath(path).withRequestId("test-request"));
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", "Bearer " + TOKEN);
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        event.setHeaders(headers);
        return event;
    }

    /**
     * The request with a raw query string ({@code a=1&a=2&b=%zz}) split as API Gateway proxies it: decoded
     * values, every value of a repeated name in the multi-value map, the last one in the single-value map.
     */
    public static APIGatewayProxyRequestEvent withQuery(APIGatewayProxyRequestEvent event, String rawQuery) {
        Map<String, String> single = new HashMap<>();
        Map<String, java.util.List<String>> multi = new HashMap<>();
        for (String pair : rawQuery.split("&", -1)) {
            String[] kv = pair.split("=", 2);
            String name = decode(kv[0]);
            String value = kv.length > 1 ? decode(kv[1]) : "";
            single.put(name, value);
            multi.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        event.setQueryStringParameters(single);
        event.setMultiValueQueryStringParameters(multi);
        return event;
    }

    /** API Gateway passes a value it cannot percent-decode through as sent. */
    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** A sample event from {@code events/apigateway/}, found from the module's directory upwards. */
    public static APIGatewayProxyRequestEvent sample(String name) {
        try {
            return JSON.readValue(Files.readString(eventsDir().resolve("apigateway").resolve(name)),
                    APIGatewayProxyRequestEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path eventsDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("events"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no events/ folder above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("events");
    }

    @Override
    public void close() {
        context.close();
    }

    /** A proxy response, with its body read as JSON. */
    public record Response(int status, String body, Map<String, String> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON: " + body, e);
            }
        }
    }
}
