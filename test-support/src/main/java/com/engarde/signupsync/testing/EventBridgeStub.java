package com.engarde.signupsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Amazon EventBridge's PutEvents on 127.0.0.1 (AWS JSON 1.1: {@code X-Amz-Target: AWSEvents.PutEvents}), for
 * the SDK client's {@code endpointOverride}. It records every entry and can reject chosen entries once, as
 * EventBridge does under throttling ({@code FailedEntryCount} with per-entry {@code ErrorCode}).
 */
public final class EventBridgeStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> rejectEntryOfNextCall = new ConcurrentLinkedQueue<>();
    private volatile boolean refuseAll;

    public EventBridgeStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next call's entry at {@code index} is rejected with ThrottlingException. */
    public void rejectOnce(int index) {
        rejectEntryOfNextCall.add(index);
    }

    /** Every entry of every call is rejected from now on. */
    public void refuseAll() {
        refuseAll = true;
    }

    /** The request bodies of the PutEvents calls received. */
    public List<JsonNode> calls() {
        return Collections.unmodifiableList(calls);
    }

    /** Every entry received, in order, including rejected ones. */
    public List<JsonNode> entries() {
        List<JsonNode> entries = new ArrayList<>();
        calls.forEach(c -> c.path("Entries").forEach(entries::add));
        return entries;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (!"AWSEvents.PutEvents".equals(target)) {
                send(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
                return;
            }
            calls.add(body);
            Integer reject = rejectEntryOfNextCall.poll();
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode results = answer.putArray("Entries");
            int failed = 0;
            int i = 0;
            for (JsonNode ignored : body.path("Entries")) {
                if (refuseAll || (reject != null && reject == i)) {
                    results.addObject().put("ErrorCode", "ThrottlingException").put("ErrorMessage", "Rate exceeded");
                    failed++;
                } else {
                    results.addObject().put("EventId", UUID.randomUUID().toString());
                }
                i++;
            }
            answer.put("FailedEntryCount", failed);
            send(exchange, 200, JSON.writeValueAsString(answer));
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
