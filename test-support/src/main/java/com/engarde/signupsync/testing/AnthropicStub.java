package com.engarde.signupsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Anthropic's Messages API as documented (shared/sources/anthropic.md): {@code POST /v1/messages} with
 * {@code x-api-key} and {@code anthropic-version}, answering a message whose text is {@link #text}, or a scripted
 * error {@code {"type":"error","error":{"type","message"[,"details":{"error_code"}]}}}. Records every request body.
 */
public final class AnthropicStub implements AutoCloseable {

    public static final String KEY = "sk-ant-api03-test-key-AbCdEfGhIjKlMnOpQrStUv";
    public static final String VERSION = "2023-06-01";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A scripted answer for the next request. */
    public record Fault(int status, String body, Map<String, String> headers) {
        public static Fault error(int status, String type, String message, Map<String, String> headers) {
            ObjectNode body = JSON.createObjectNode().put("type", "error");
            body.putObject("error").put("type", type).put("message", message);
            return new Fault(status, body.toString(), headers);
        }

        /** 429 {@code rate_limit_error} with {@code retry-after} seconds. */
        public static Fault rateLimited(int retryAfterSeconds) {
            return error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
                    Map.of("retry-after", Integer.toString(retryAfterSeconds)));
        }

        /** 529 {@code overloaded_error}. */
        public static Fault overloaded() {
            return error(529, "overloaded_error", "Overloaded", Map.of());
        }

        /** The spend limit: a 429 whose details' error_code is {@code enforced_spend_limit_reached}. */
        public static Fault spendLimit() {
            ObjectNode body = JSON.createObjectNode().put("type", "error");
            body.putObject("error").put("type", "rate_limit_error").put("message", "You have reached your specified API usage limits.")
                    .putObject("details").put("error_code", "enforced_spend_limit_reached");
            return new Fault(429, body.toString(), Map.of("retry-after", "60"));
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<HttpExchange> unanswered = new CopyOnWriteArrayList<>();
    private volatile boolean hanging;
    private volatile String text = "Bookings held steady; most customers were new.";

    public AnthropicStub() {
        server = StubHttp.start(0, "anthropic-stub", this::handle);
    }

    /** ANTHROPIC_API_URL for this stub. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/";
    }

    /** The text the next messages are answered with. */
    public void text(String text) {
        this.text = text;
    }

    public void fault(Fault fault) {
        faults.add(fault);
    }

    /** Every request from now on gets no answer until {@link #stopHanging} or {@link #close}. */
    public void hang() {
        hanging = true;
    }

    /** Answers again; the requests left hanging are dropped without an answer. */
    public void stopHanging() {
        hanging = false;
        unanswered.forEach(HttpExchange::close);
        unanswered.clear();
    }

    /** The request bodies received, in order. */
    public List<String> requests() {
        return List.copyOf(bodies);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        bodies.add(body);
        if (hanging) {
            // No answer, and no thread held: each retry is taken in as it comes.
            unanswered.add(exchange);
            return;
        }
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/v1/messages")) {
                StubHttp.send(exchange, 404, Fault.error(404, "not_found_error", "Not found", Map.of()).body(), Map.of());
                return;
            }
            if (!KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                StubHttp.send(exchange, 401, Fault.error(401, "authentication_error", "invalid x-api-key", Map.of()).body(), Map.of());
                return;
            }
            JsonNode request = JSON.readTree(body);
            if (!VERSION.equals(exchange.getRequestHeaders().getFirst("anthropic-version"))
                    || !request.path("max_tokens").isInt() || !request.path("model").isTextual()
                    || !request.path("messages").isArray() || request.path("messages").isEmpty()) {
                StubHttp.send(exchange, 400, Fault.error(400, "invalid_request_error",
                        "anthropic-version, model, max_tokens and messages are required", Map.of()).body(), Map.of());
                return;
            }
            Fault fault = faults.poll();
            if (fault != null) {
                StubHttp.send(exchange, fault.status(), fault.body(), fault.headers());
                return;
            }
            ObjectNode answer = JSON.createObjectNode().put("id", "msg_01stub" + bodies.size()).put("type", "message")
                    .put("role", "assistant").put("model", request.path("model").asText()).put("stop_reason", "end_turn");
            answer.putArray("content").addObject().put("type", "text").put("text", text);
            answer.putObject("usage").put("input_tokens", body.length() / 4).put("output_tokens", text.length() / 4);
            StubHttp.send(exchange, 200, answer.toString(), Map.of());
        }
    }

    @Override
    public void close() {
        stopHanging();
        server.stop(0);
    }
}
