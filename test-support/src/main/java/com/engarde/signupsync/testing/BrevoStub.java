package com.engarde.signupsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Brevo account on 127.0.0.1 speaking API v3 as documented in shared/sources/brevo.md: the {@code api-key}
 * header (401 {@code {"code":"unauthorized","message":"Key not found"}} without the right one), and
 * {@code POST /v3/smtp/email} (transactional email from a template: {@code to}, {@code templateId},
 * {@code params}) answering 201 {@code {"messageId":"<...>"}}, or 400 {@code missing_parameter} /
 * {@code invalid_parameter} for a body it cannot send. Tests script faults ({@link #failNext}) and read what
 * was sent ({@link #emails}).
 */
public final class BrevoStub implements AutoCloseable {

    public static final String API_KEY = "xkeysib-test-stub-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One transactional email as Brevo received it. */
    public record Email(String to, String name, long templateId, JsonNode params) {
    }

    private record Fault(int status, String code, String message) {
    }

    private final HttpServer server;
    private final List<Email> emails = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sequence = new AtomicInteger();

    public BrevoStub() {
        server = StubHttp.start(0, "brevo-stub", this::handle);
    }

    /** BREVO_API_URL for this stub. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3/";
    }

    /** The next request answers {@code status} with Brevo's error body. */
    public void failNext(int status, String code, String message) {
        faults.add(new Fault(status, code, message));
    }

    public List<Email> emails() {
        return List.copyOf(emails);
    }

    /** Every request as {@code "POST /v3/smtp/email"}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(method + " " + path);
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("api-key"))) {
                error(exchange, 401, "unauthorized", "Key not found");
                return;
            }
            Fault fault = faults.poll();
            if (fault != null) {
                error(exchange, fault.status(), fault.code(), fault.message());
                return;
            }
            if ("POST".equals(method) && path.equals("/v3/smtp/email")) {
                sendEmail(exchange, body);
            } else if ("GET".equals(method) && path.equals("/v3/account")) {
                StubHttp.send(exchange, 200, "{\"email\":\"owner@example.com\",\"companyName\":\"En Garde\"}", Map.of());
            } else {
                error(exchange, 404, "document_not_found", "Invalid route");
            }
        }
    }

    private void sendEmail(HttpExchange exchange, byte[] bytes) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (IOException e) {
            error(exchange, 400, "bad_request", "Input must be a valid JSON object");
            return;
        }
        JsonNode to = body.path("to").path(0);
        if (!to.path("email").isTextual()) {
            error(exchange, 400, "missing_parameter", "to is missing");
            return;
        }
        if (!body.path("templateId").isIntegralNumber()) {
            error(exchange, 400, "invalid_parameter", "templateId must be an integer");
            return;
        }
        emails.add(new Email(to.path("email").asText(), to.path("name").asText(null), body.path("templateId").asLong(),
                body.path("params")));
        StubHttp.send(exchange, 201, "{\"messageId\":\"<20261207." + sequence.incrementAndGet()
                + "@smtp-relay.mailin.fr>\"}", Map.of());
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        StubHttp.send(exchange, status, JSON.createObjectNode().put("code", code).put("message", message).toString(), Map.of());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
