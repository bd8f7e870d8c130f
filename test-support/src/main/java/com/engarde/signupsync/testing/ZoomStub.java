package com.engarde.signupsync.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Zoom account on 127.0.0.1 speaking REST API v2 as documented in shared/sources/zoom.md: Server-to-Server
 * OAuth at {@code /oauth/token} (Basic client id and secret, {@code grant_type=account_credentials}), bearer
 * tokens (401 code 124 once {@link #expireTokens expired}), {@code page_size} (at most 300, default 30) and
 * {@code next_page_token} ({@code ""} on the last page; 400 code 300 once {@link #expirePageTokens expired}),
 * registrants filtered by {@code status} (approved unless asked), 3001 for a deleted webinar, 3161 for a user
 * without a webinar licence, registration tracking sources ({@code /webinars/{id}/tracking_sources} and the
 * {@code tracking_source_id} filter), run UUIDs that must be double-encoded when they start with a slash, and
 * per-category limits answering 429 with {@code X-RateLimit-*} headers. Tests script faults ({@link #fault})
 * and watch what was asked ({@link #requests()}).
 */
public final class ZoomStub implements AutoCloseable {

    public static final String ACCOUNT_ID = "test-zoom-account";
    public static final String CLIENT_ID = "test-zoom-client";
    public static final String CLIENT_SECRET = "test-zoom-secret-not-a-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A scripted answer for the next request ({@code "GET /v2/...?query"}) that matches. */
    public record Fault(Predicate<String> matches, int status, String body, Map<String, String> headers) {
        public static Fault on(String contains, int status, int code, String message, Map<String, String> headers) {
            return new Fault(r -> r.contains(contains), status, "{\"code\":" + code + ",\"message\":\"" + message + "\"}", headers);
        }
    }

    private record Listing(List<ObjectNode> items, String field) {
    }

    private record Cursor(String listing, int offset) {
    }

    private final HttpServer server;
    private final Map<String, ObjectNode> users = new LinkedHashMap<>();
    private final Set<String> unlicensed = new HashSet<>();
    private final Map<String, List<ObjectNode>> webinarsOf = new LinkedHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Map<String, List<ObjectNode>> registrants = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> instances = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> participants = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> trackingSources = new ConcurrentHashMap<>();
    /** Registrant id to the tracking source it came by (Zoom does not show it on the registrant). */
    private final Map<String, String> cameBy = new ConcurrentHashMap<>();
    private final Map<String, Cursor> pageTokens = new ConcurrentHashMap<>();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> afterAnswer = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<String, Integer> perSecond = new ConcurrentHashMap<>();
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    /** Requests whose last answer was a 429, and how often a request was refused again on its next attempt. */
    private final Set<String> lastRefused = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusedAgain = new AtomicInteger();

    public ZoomStub() {
        this(0);
    }

    public ZoomStub(int port) {
        server = StubHttp.start(port, "zoom-stub", this::handle);
    }

    /** ZOOM_API_URL for this stub. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/";
    }

    /** ZOOM_OAUTH_URL for this stub. */
    public String oauthUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token";
    }

    /**
     * Serves {@code webinars} generated webinars (default 20) of 300 registrants and 2 ended runs each on
     * {@code port} (default 8091) until stopped: {@code java -cp local/target/signup-sync-local.jar
     * com.engarde.signupsync.testing.ZoomStub 20 8091}.
     */
    public static void main(String[] args) throws InterruptedException {
        int webinars = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8091;
        ZoomStub stub = new ZoomStub(port);
        stub.generate(webinars, 300, 2);
        System.out.println("stub Zoom with " + webinars + " webinars at " + stub.apiUrl());
        System.out.println("  ZOOM_API_URL=" + stub.apiUrl() + " ZOOM_OAUTH_URL=" + stub.oauthUrl()
                + " ZOOM_ACCOUNT_ID=" + ACCOUNT_ID + " ZOOM_CLIENT_ID=" + CLIENT_ID + " ZOOM_CLIENT_SECRET=" + CLIENT_SECRET);
        Thread.currentThread().join();
    }

    /** One host with {@code webinars} webinars, each with {@code registrants} approved registrants and {@code runs} ended runs attended by half of them. */
    public void generate(int webinars, int registrants, int runs) {
        addUser("host-1");
        for (int w = 1; w <= webinars; w++) {
            String id = Long.toString(80000000000L + w);
            addWebinar("host-1", id, "Webinar " + w);
            for (int r = 1; r <= registrants; r++) {
                addRegistrant(id, "r" + w + "-" + r, "person" + r + "@example.com", "approved");
            }
            for (int run = 1; run <= runs; run++) {
                String uuid = "run" + w + "-" + run + "==";
                addRun(id, uuid, "2026-0" + run + "-01T10:00:00Z");
                for (int r = 1; r <= registrants; r += 2) {
                    addParticipant(uuid, "r" + w + "-" + r, "person" + r + "@example.com", 1800);
                }
            }
        }
    }

    public synchronized void addUser(String id) {
        ObjectNode user = JSON.createObjectNode().put("id", id).put("email", id + "@host.example.com")
                .put("type", 2).put("status", "active");
        users.put(id, user);
        webinarsOf.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
    }

    /** The user cannot host webinars: listing their webinars answers 400 code 3161. */
    public synchronized void unlicensed(String id) {
        addUser(id);
        unlicensed.add(id);
    }

    public synchronized void addWebinar(String host, String id, String topic) {
        webinarsOf.computeIfAbsent(host, k -> new CopyOnWriteArrayList<>()).add(JSON.createObjectNode()
                .put("id", Long.parseLong(id)).put("host_id", host).put("topic", topic).put("type", 9)
                .put("uuid", "uuid-" + id + "==").put("start_time", "2026-07-01T10:00:00Z"));
        registrants.putIfAbsent(id, new CopyOnWriteArrayList<>());
        instances.putIfAbsent(id, new CopyOnWriteArrayList<>());
    }

    /** The webinar is gone: its endpoints answer 404 code 3001, although the host's listing still has it. */
    public void delete(String webinar) {
        deleted.add(webinar);
    }

    public ObjectNode addRegistrant(String webinar, String id, String email, String status) {
        ObjectNode r = JSON.createObjectNode().put("id", id).put("email", email).put("first_name", "First " + id)
                .put("last_name", "Last").put("status", status).put("create_time", "2026-05-01T10:00:00Z")
                .put("join_url", "https://example.com/j/" + id);
        registrants.get(webinar).add(r);
        return r;
    }

    /** A registration tracking source of the webinar (Zoom: "Creating source tracking links"). */
    public void addTrackingSource(String webinar, String id, String sourceName, String trackingUrl) {
        trackingSources.computeIfAbsent(webinar, k -> new CopyOnWriteArrayList<>()).add(JSON.createObjectNode()
                .put("id", id).put("source_name", sourceName).put("tracking_url", trackingUrl)
                .put("visitor_count", 0).put("registration_count", 0));
    }

    /** The registrant registered through tracking source {@code sourceId}; its registration count goes up. */
    public void cameBy(String registrantId, String webinar, String sourceId) {
        cameBy.put(registrantId, sourceId);
        trackingSources.get(webinar).stream().filter(t -> t.path("id").asText().equals(sourceId)).findFirst().orElseThrow()
                .put("registration_count", cameBy.values().stream().filter(sourceId::equals).count());
    }

    public ObjectNode registrant(String webinar, String id) {
        return registrants.get(webinar).stream().filter(r -> r.path("id").asText().equals(id)).findFirst().orElseThrow();
    }

    public void removeRegistrant(String webinar, String id) {
        registrants.get(webinar).removeIf(r -> r.path("id").asText().equals(id));
    }

    public void addRun(String webinar, String uuid, String start) {
        instances.get(webinar).add(JSON.createObjectNode().put("uuid", uuid).put("start_time", start));
        participants.putIfAbsent(uuid, new CopyOnWriteArrayList<>());
    }

    /** A join session of a run (a rejoin is another session); {@code registrantId} null for one without. */
    public void addParticipant(String uuid, String registrantId, String email, int seconds) {
        ObjectNode p = JSON.createObjectNode().put("id", "p" + sequence.incrementAndGet()).put("name", "someone")
                .put("user_email", email == null ? "" : email).put("join_time", "2026-01-01T10:00:00Z")
                .put("leave_time", "2026-01-01T11:00:00Z").put("duration", seconds).put("status", "in_meeting");
        if (registrantId != null) {
            p.put("registrant_id", registrantId);
        }
        participants.get(uuid).add(p);
    }

    /** Every access token issued so far stops working (401 code 124), as one expiring mid-run. */
    public void expireTokens() {
        accessTokens.clear();
    }

    /** Every next_page_token issued so far expires (400 code 300), as after 15 minutes. */
    public void expirePageTokens() {
        pageTokens.clear();
    }

    /** Zoom's per-second limit of a category ({@code light}, {@code medium}, {@code heavy}): past it, 429 with headers. */
    public void limit(String category, int requestsPerSecond) {
        perSecond.put(category, requestsPerSecond);
    }

    public void fault(Fault fault) {
        faults.add(fault);
    }

    public void afterAnswer(Consumer<String> hook) {
        afterAnswer.add(hook);
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public long count(Predicate<String> request) {
        return requests.stream().filter(request).count();
    }

    public void clearRequests() {
        requests.clear();
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** Requests refused by the per-category limits. */
    public int refused() {
        return refused.get();
    }

    /** Times a request refused by a per-category limit was refused again when it was sent next. */
    public int refusedTwiceInARow() {
        return refusedAgain.get();
    }

    /**
     * The fewest requests that read everything this stub holds with pages of {@code pageSize}: the token, the
     * users, each user's webinars, and per webinar its tracking sources, its registrants of each of the three
     * statuses, its ended runs, and each run's participant report.
     */
    public synchronized int minimumRequests(int pageSize) {
        int total = 1 + pages(users.size(), pageSize);
        for (Map.Entry<String, List<ObjectNode>> host : webinarsOf.entrySet()) {
            total += unlicensed.contains(host.getKey()) ? 1 : pages(host.getValue().size(), pageSize);
            for (ObjectNode w : host.getValue()) {
                String id = w.path("id").asText();
                if (deleted.contains(id)) {
                    total += 1;
                    continue;
                }
                total += 1;
                for (String status : List.of("approved", "pending", "denied")) {
                    total += pages((int) registrants.get(id).stream().filter(r -> r.path("status").asText().equals(status)).count(), pageSize);
                }
                total += 1;
                for (ObjectNode run : instances.get(id)) {
                    total += pages(participants.get(run.path("uuid").asText()).size(), pageSize);
                }
            }
        }
        return total;
    }

    private static int pages(int items, int pageSize) {
        return Math.max(1, (items + pageSize - 1) / pageSize);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String request = exchange.getRequestMethod() + " " + raw + (query == null ? "" : "?" + query);
        requests.add(request);
        try {
            Fault fault = null;
            for (Fault f : faults) {
                if (f.matches().test(request) && faults.remove(f)) {
                    fault = f;
                    break;
                }
            }
            if (fault != null) {
                StubHttp.send(exchange, fault.status(), fault.body(), fault.headers());
            } else if (raw.equals("/oauth/token")) {
                token(exchange, query);
            } else if (!accessTokens.contains(exchange.getRequestHeaders().getFirst("Authorization"))) {
                StubHttp.send(exchange, 401, "{\"code\":124,\"message\":\"Invalid access token.\"}", Map.of());
            } else {
                api(exchange, raw.substring("/v2/".length()), StubHttp.params(query));
            }
        } finally {
            afterAnswer.forEach(hook -> hook.accept(request));
        }
    }

    private void token(HttpExchange exchange, String query) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> fields = StubHttp.params(form.isEmpty() ? query : form);
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            StubHttp.send(exchange, 400, "{\"reason\":\"Invalid client_id or client_secret\",\"error\":\"invalid_client\"}", Map.of());
            return;
        }
        if (!"account_credentials".equals(fields.get("grant_type")) || !ACCOUNT_ID.equals(fields.get("account_id"))) {
            StubHttp.send(exchange, 400, "{\"reason\":\"Invalid request : Redirect URI mismatch.\",\"error\":\"invalid_request\"}", Map.of());
            return;
        }
        String token = "stub-access-" + tokensIssued.incrementAndGet();
        accessTokens.add("Bearer " + token);
        StubHttp.send(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":3599,"
                + "\"scope\":\"user:read:admin webinar:read:admin report:read:admin\",\"api_url\":\"https://api.zoom.us\"}", Map.of());
    }

    private void api(HttpExchange exchange, String path, Map<String, String> params) throws IOException {
        String[] parts = path.split("/");
        String category = parts[0].equals("report") ? "heavy" : parts[0].equals("past_webinars") ? "light" : "medium";
        String key = path + "?" + new java.util.TreeMap<>(params);
        if (overLimit(category)) {
            refused.incrementAndGet();
            if (!lastRefused.add(key)) {
                refusedAgain.incrementAndGet();
            }
            StubHttp.send(exchange, 429, "{\"code\":429,\"message\":\"You have reached the maximum per-second rate limit for this API. Try again later.\"}",
                    Map.of("X-RateLimit-Category", category.substring(0, 1).toUpperCase() + category.substring(1),
                            "X-RateLimit-Type", "QPS", "X-RateLimit-Limit", Integer.toString(perSecond.get(category)),
                            "X-RateLimit-Remaining", "0"));
            return;
        }
        lastRefused.remove(key);
        if (parts.length == 1 && parts[0].equals("users")) {
            list(exchange, "users", new ArrayList<>(users.values()), params);
        } else if (parts.length == 3 && parts[0].equals("users") && parts[2].equals("webinars")) {
            String user = StubHttp.decode(parts[1]);
            if (unlicensed.contains(user)) {
                StubHttp.send(exchange, 400, "{\"code\":3161,\"message\":\"User is not allowed to host webinars.\"}", Map.of());
            } else if (!webinarsOf.containsKey(user)) {
                StubHttp.send(exchange, 404, "{\"code\":1001,\"message\":\"User does not exist: " + user + ".\"}", Map.of());
            } else {
                list(exchange, "webinars", webinarsOf.get(user), params);
            }
        } else if (parts.length == 3 && parts[0].equals("webinars") && parts[2].equals("registrants")) {
            String webinar = StubHttp.decode(parts[1]);
            if (notFound(exchange, webinar)) {
                return;
            }
            String status = params.getOrDefault("status", "approved");
            String source = params.get("tracking_source_id");
            list(exchange, "registrants", registrants.get(webinar).stream()
                    .filter(r -> r.path("status").asText().equals(status))
                    .filter(r -> source == null || source.equals(cameBy.get(r.path("id").asText()))).toList(), params,
                    webinar + ":" + status + ":" + source);
        } else if (parts.length == 3 && parts[0].equals("webinars") && parts[2].equals("tracking_sources")) {
            String webinar = StubHttp.decode(parts[1]);
            if (notFound(exchange, webinar)) {
                return;
            }
            List<ObjectNode> sources = trackingSources.getOrDefault(webinar, List.of());
            ObjectNode body = JSON.createObjectNode().put("total_records", sources.size());
            body.putArray("tracking_sources").addAll(sources);
            StubHttp.send(exchange, 200, body.toString(), Map.of());
        } else if (parts.length == 3 && parts[0].equals("past_webinars") && parts[2].equals("instances")) {
            String webinar = StubHttp.decode(parts[1]);
            if (notFound(exchange, webinar)) {
                return;
            }
            ObjectNode body = JSON.createObjectNode();
            body.putArray("webinars").addAll(instances.get(webinar));
            StubHttp.send(exchange, 200, body.toString(), Map.of());
        } else if (parts.length == 4 && parts[0].equals("report") && parts[1].equals("webinars") && parts[3].equals("participants")) {
            String uuid = StubHttp.decode(parts[2]);
            if (uuid.contains("%")) {
                uuid = StubHttp.decode(uuid);
            } else if (uuid.startsWith("/") || uuid.contains("//")) {
                // Zoom decodes the path once before routing: a UUID encoded once would have split it.
                StubHttp.send(exchange, 404, "{\"code\":3001,\"message\":\"Webinar does not exist.\"}", Map.of());
                return;
            }
            List<ObjectNode> rows = participants.get(uuid);
            if (rows == null) {
                StubHttp.send(exchange, 404, "{\"code\":3001,\"message\":\"Webinar does not exist.\"}", Map.of());
                return;
            }
            boolean withRegistrant = "registrant_id".equals(params.get("include_fields"));
            list(exchange, "participants", rows.stream().map(p -> {
                ObjectNode copy = p.deepCopy();
                if (!withRegistrant) {
                    copy.remove("registrant_id");
                }
                return copy;
            }).toList(), params, uuid);
        } else {
            StubHttp.send(exchange, 404, "{\"code\":404,\"message\":\"Not found.\"}", Map.of());
        }
    }

    private boolean notFound(HttpExchange exchange, String webinar) throws IOException {
        if (deleted.contains(webinar) || !registrants.containsKey(webinar)) {
            StubHttp.send(exchange, 404, "{\"code\":3001,\"message\":\"Webinar does not exist: " + webinar + ".\"}", Map.of());
            return true;
        }
        return false;
    }

    private boolean overLimit(String category) {
        Integer limit = perSecond.get(category);
        if (limit == null) {
            return false;
        }
        long second = System.nanoTime() / 1_000_000_000L;
        long[] window = windows.computeIfAbsent(category, k -> new long[2]);
        synchronized (window) {
            if (window[0] != second) {
                window[0] = second;
                window[1] = 0;
            }
            return ++window[1] > limit;
        }
    }

    private void list(HttpExchange exchange, String field, List<ObjectNode> items, Map<String, String> params) throws IOException {
        list(exchange, field, items, params, field);
    }

    private void list(HttpExchange exchange, String field, List<ObjectNode> items, Map<String, String> params,
                      String listing) throws IOException {
        int size = Math.min(300, Math.max(1, Integer.parseInt(params.getOrDefault("page_size", "30"))));
        int offset = 0;
        String token = params.get("next_page_token");
        if (token != null && !token.isEmpty()) {
            Cursor cursor = pageTokens.get(token);
            if (cursor == null || !cursor.listing().equals(listing)) {
                StubHttp.send(exchange, 400, "{\"code\":300,\"message\":\"The next page token is invalid or expired.\"}", Map.of());
                return;
            }
            offset = cursor.offset();
        }
        int end = Math.min(items.size(), offset + size);
        String next = "";
        if (end < items.size()) {
            next = "npt" + sequence.incrementAndGet();
            pageTokens.put(next, new Cursor(listing, end));
        }
        ObjectNode body = JSON.createObjectNode().put("next_page_token", next)
                .put("page_count", (items.size() + size - 1) / size).put("page_size", size).put("total_records", items.size());
        ArrayNode array = body.putArray(field);
        items.subList(Math.min(offset, items.size()), end).forEach(array::add);
        StubHttp.send(exchange, 200, body.toString(), Map.of());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
