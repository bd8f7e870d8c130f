package com.engarde.signupsync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Secrets Manager's GetSecretValue as the AWS SDK speaks it (JSON 1.1 over HTTP POST, the operation in
 * X-Amz-Target), on 127.0.0.1. Holds secret strings by id and counts the reads.
 */
public final class StubSecretsManager implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    public StubSecretsManager() throws IOException {
        // The SDK needs a region and credentials to sign; the stub checks neither.
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "stub-access-key");
        System.setProperty("aws.secretAccessKey", "stub-secret-key");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void put(String id, String value) {
        secrets.put(id, value);
    }

    public int reads() {
        return reads.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                respond(exchange, 400, error("UnknownOperationException", "only GetSecretValue is stubbed"));
                return;
            }
            reads.incrementAndGet();
            String id = request.path("SecretId").asText();
            String value = secrets.get(id);
            if (value == null) {
                respond(exchange, 400, error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
                return;
            }
            ObjectNode body = JSON.createObjectNode()
                    .put("ARN", id).put("Name", id).put("VersionId", "v-" + reads.get())
                    .put("SecretString", value).put("CreatedDate", 1.7E9);
            body.putArray("VersionStages").add("AWSCURRENT");
            respond(exchange, 200, body);
        }
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        if (status != 200) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", body.path("__type").asText());
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
