package com.engarde.signupsync.functions.adminsources;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One vendor endpoint that a verify calls, speaking the vendor's documented answers: the success body when the
 * credential header carries the expected value, the vendor's own 401 error body otherwise; optionally slow.
 */
final class VendorAccountStub implements AutoCloseable {

    private final HttpServer server;
    private final String header;
    private final String prefix;
    private final String expected;
    private final String okBody;
    private final String unauthorizedBody;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile long delayMillis;

    VendorAccountStub(String path, String header, String prefix, String expected, String okBody, String unauthorizedBody) {
        this.header = header;
        this.prefix = prefix;
        this.expected = expected;
        this.okBody = okBody;
        this.unauthorizedBody = unauthorizedBody;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "vendor-stub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(path, this::handle);
        server.start();
    }

    /** Brevo {@code GET /v3/account} with the {@code api-key} header. */
    static VendorAccountStub brevo(String apiKey) {
        return new VendorAccountStub("/v3/account", "api-key", "", apiKey,
                "{\"email\":\"owner@example.com\",\"companyName\":\"En Garde\",\"plan\":[{\"type\":\"free\",\"credits\":300}]}",
                "{\"code\":\"unauthorized\",\"message\":\"Key not found\"}");
    }

    /** Eventbrite {@code GET /v3/users/me/organizations/} with a bearer private token. */
    static VendorAccountStub eventbrite(String token) {
        return new VendorAccountStub("/v3/users/me/organizations/", "Authorization", "Bearer ", token,
                "{\"pagination\":{\"object_count\":1,\"page_number\":1,\"page_size\":50,\"page_count\":1,\"has_more_items\":false},"
                        + "\"organizations\":[{\"id\":\"1234567890\",\"name\":\"En Garde\",\"vertical\":\"default\"}]}",
                "{\"status_code\":401,\"error_description\":\"The OAuth token you provided was invalid.\",\"error\":\"INVALID_AUTH\"}");
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean ok = (prefix + expected).equals(exchange.getRequestHeaders().getFirst(header));
        byte[] body = (ok ? okBody : unauthorizedBody).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException clientGone) {
            // the caller timed out and hung up
        }
    }

    void delay(long millis) {
        this.delayMillis = millis;
    }

    int calls() {
        return calls.get();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
