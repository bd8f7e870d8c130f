package com.engarde.signupsync.functions.adminsources;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Zoom's Server-to-Server OAuth as shared/sources/zoom.md documents it: {@code POST /oauth/token} with HTTP Basic
 * client credentials and {@code grant_type=account_credentials&account_id=...}, then {@code GET /v2/users} with
 * the bearer token. Errors in Zoom's shapes; optionally slow.
 */
final class ZoomStub implements AutoCloseable {

    static final String ACCESS_TOKEN = "zoom-access-token-77aa";

    private final HttpServer server;
    private final String accountId;
    private final String basic;
    private final AtomicInteger tokens = new AtomicInteger();
    private volatile long delayMillis;

    ZoomStub(String accountId, String clientId, String clientSecret) {
        this.accountId = accountId;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "zoom-stub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/oauth/token", this::token);
        server.createContext("/v2/users", this::users);
        server.start();
    }

    private void token(HttpExchange exchange) throws IOException {
        pause();
        tokens.incrementAndGet();
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean ok = "POST".equals(exchange.getRequestMethod()) && basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                && form.contains("grant_type=account_credentials") && form.contains("account_id=" + accountId);
        send(exchange, ok ? 200 : 400, ok
                ? "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_type\":\"bearer\",\"expires_in\":3599,"
                        + "\"scope\":\"user:read:admin webinar:read:admin\",\"api_url\":\"https://api.zoom.us\"}"
                : "{\"reason\":\"Invalid client_id or client_secret\",\"error\":\"invalid_client\"}");
    }

    private void users(HttpExchange exchange) throws IOException {
        pause();
        boolean ok = ("Bearer " + ACCESS_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
        send(exchange, ok ? 200 : 401, ok
                ? "{\"page_count\":1,\"page_number\":1,\"page_size\":1,\"total_records\":1,\"next_page_token\":\"\","
                        + "\"users\":[{\"id\":\"z8yCxjabcd\",\"type\":2,\"status\":\"active\"}]}"
                : "{\"code\":124,\"message\":\"Invalid access token.\"}");
    }

    private void pause() {
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // the caller timed out and hung up
        }
    }

    void delay(long millis) {
        this.delayMillis = millis;
    }

    int tokenRequests() {
        return tokens.get();
    }

    String tokenUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token";
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
