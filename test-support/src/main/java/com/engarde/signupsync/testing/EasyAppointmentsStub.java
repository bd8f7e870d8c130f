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
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An EasyAppointments 1.6 instance on 127.0.0.1, speaking its REST API v1 as documented in
 * shared/sources/easyappointments.md: Bearer token (401 in plain text otherwise), bare JSON arrays,
 * {@code page}/{@code length} (default 20) with no totals, {@code sort=id}, {@code from}, {@code fields} then
 * {@code with=customer} (the customer's raw database row, snake_case), 404 with an empty body for a missing
 * record, 500 {@code {"success":false,"message":...}} for errors, and 429 with an empty body and no Retry-After.
 * Tests script faults ({@link #fault}) and watch what was asked ({@link #requests()}).
 */
public final class EasyAppointmentsStub implements AutoCloseable {

    public static final String API_KEY = "test-easyappointments-key-not-a-secret";
    public static final String BASE = "/index.php/api/v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A scripted answer for the next request whose path and query match; {@code delayMillis} before it. */
    public record Fault(Predicate<String> matches, int status, String body, Map<String, String> headers, long delayMillis) {
        public static Fault status(String pathPrefix, int status, String body, Map<String, String> headers) {
            return new Fault(p -> p.startsWith(BASE + pathPrefix), status, body, headers, 0);
        }

        /** Answers normally, but only after {@code delayMillis}. */
        public static Fault delay(String pathPrefix, long delayMillis) {
            return new Fault(p -> p.startsWith(BASE + pathPrefix), 0, null, Map.of(), delayMillis);
        }

        public Fault on(Predicate<String> matches) {
            return new Fault(matches, status, body, headers, delayMillis);
        }
    }

    private final HttpServer server;
    private final ConcurrentSkipListMap<Long, ObjectNode> appointments = new ConcurrentSkipListMap<>();
    private final Map<Long, ObjectNode> customers = new HashMap<>();
    private final Map<Long, ObjectNode> services = new HashMap<>();
    private final Map<Long, ObjectNode> providers = new HashMap<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> afterAnswer = new CopyOnWriteArrayList<>();
    private volatile List<ObjectNode> sorted;
    private volatile boolean honourWith = true;
    private final Set<Long> unlisted = new HashSet<>();
    /** Rendered list pages by request, when the data is fixed (the benchmark's server, not the tests'). */
    private volatile Map<String, byte[]> rendered;

    public EasyAppointmentsStub() {
        this(0);
    }

    public EasyAppointmentsStub(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "easyappointments-stub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
        addService(1, "Intro call");
        addProvider(1, "UTC");
    }

    /** The instance URL, as EASYAPPOINTMENTS_URL names it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Serves {@code count} generated appointments (default 500) on {@code port} (default 8090) until stopped,
     * for trying the local run against it: {@code java -cp local/target/signup-sync-local.jar
     * com.engarde.signupsync.testing.EasyAppointmentsStub 500 8090}.
     */
    public static void main(String[] args) throws InterruptedException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8090;
        EasyAppointmentsStub stub = new EasyAppointmentsStub(port);
        stub.generate(count, java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        // The data never changes from here on: render each page once, so that the server's own work (which a
        // real server does on another machine) does not take CPU from the client being measured.
        stub.rendered = new java.util.concurrent.ConcurrentHashMap<>();
        System.out.println("stub EasyAppointments with " + count + " appointments at " + stub.url());
        System.out.println("  EASYAPPOINTMENTS_URL=" + stub.url() + " EASYAPPOINTMENTS_API_KEY=" + API_KEY);
        Thread.currentThread().join();
    }

    /**
     * {@code count} appointments (ids 1..count) by {@code count / 3} customers, starting from 400 days before
     * {@code today} to 60 days after, a tenth of them cancelled: a booking calendar's worth of history.
     */
    public void generate(int count, LocalDate today) {
        int customerCount = Math.max(1, count / 3);
        for (int c = 1; c <= customerCount; c++) {
            addCustomer(c, "customer" + c + "@example.com", "Customer", "Number" + c);
        }
        java.time.format.DateTimeFormatter naive = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        for (int i = 1; i <= count; i++) {
            java.time.LocalDateTime start = today.minusDays(400).plusDays((long) i * 460 / count).atTime(9 + i % 8, 0);
            putAppointment(i, naive.format(start.minusDays(7 + i % 20)), naive.format(start), naive.format(start.plusMinutes(30)),
                    i % 10 == 0 ? "Cancelled" : "Booked", 1 + (i * 7919L) % customerCount);
        }
    }

    // ---- data ----

    public synchronized void addService(long id, String name) {
        ObjectNode s = JSON.createObjectNode().put("id", id).put("name", name).put("duration", 30).put("price", 0.0)
                .put("currency", "USD").put("description", "").putNull("location").put("slotInterval", 30)
                .put("attendantsNumber", 1).put("isPrivate", false).putNull("serviceCategoryId");
        services.put(id, s);
    }

    /** A service with its duration (minutes), price and currency, as the services API lists it. */
    public synchronized void addService(long id, String name, int duration, double price, String currency) {
        addService(id, name);
        services.get(id).put("duration", duration).put("price", price).put("currency", currency);
    }

    public synchronized void addProvider(long id, String timezone) {
        ObjectNode p = JSON.createObjectNode().put("id", id).put("firstName", "Pat").put("lastName", "Provider")
                .put("email", "provider" + id + "@example.com").put("timezone", timezone);
        p.putObject("settings").put("username", "provider" + id).putNull("googleToken").putNull("caldavPassword");
        providers.put(id, p);
    }

    /** A customer as its database row (what with=customer attaches); email may be null. */
    public synchronized void addCustomer(long id, String email, String firstName, String lastName) {
        ObjectNode c = JSON.createObjectNode().put("id", id).put("first_name", firstName).put("last_name", lastName)
                .put("email", email).putNull("mobile_number").put("phone_number", "+1555000" + id).put("address", "")
                .put("city", "").putNull("state").put("zip_code", "").put("notes", "").put("timezone", "UTC")
                .put("language", "english").putNull("custom_field_1").putNull("ldap_dn").put("id_roles", 3)
                .put("create_datetime", "2025-01-01 09:00:00").put("update_datetime", "2025-01-01 09:00:00");
        customers.put(id, c);
    }

    /** An appointment as the API encodes it; times are naive "YYYY-MM-DD HH:MM:SS". */
    public void putAppointment(long id, String book, String start, String end, String status, long customerId) {
        ObjectNode a = JSON.createObjectNode().put("id", id).put("book", book).put("start", start).put("end", end)
                .put("hash", "hash" + id).put("color", "#123456").put("status", status).put("location", "")
                .put("notes", "private note " + id).put("customerId", customerId).put("providerId", 1)
                .put("serviceId", 1).putNull("meetingLink").putNull("googleCalendarId").putNull("caldavCalendarId");
        appointments.put(id, a);
        sorted = null;
    }

    public ObjectNode appointment(long id) {
        return appointments.get(id);
    }

    public void setStatus(long id, String status) {
        appointments.get(id).put("status", status);
    }

    /** A hard delete, as the booking page's cancellation does. */
    public void delete(long id) {
        appointments.remove(id);
        sorted = null;
    }

    public int size() {
        return appointments.size();
    }

    /** false: behave like a server that ignores with=customer, so clients must fetch customers themselves. */
    /** The customer is left out of the customers listing (as one created after it was read), not out of GET /customers/{id}. */
    public synchronized void leaveOutOfListing(long customerId) {
        unlisted.add(customerId);
    }

    public void honourWith(boolean honour) {
        this.honourWith = honour;
    }

    // ---- faults and observation ----

    public void fault(Fault fault) {
        faults.add(fault);
    }

    /** Runs after each answer is sent, with the request's path and query (e.g. to change data mid-sync). */
    public void afterAnswer(Consumer<String> hook) {
        afterAnswer.add(hook);
    }

    /** Every request's path and query, in arrival order. */
    public List<String> requests() {
        return Collections.unmodifiableList(requests);
    }

    public long count(Predicate<String> request) {
        return requests.stream().filter(request).count();
    }

    public void clearRequests() {
        requests.clear();
    }

    // ---- the API ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String request = path + (query == null ? "" : "?" + query);
            requests.add(request);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + API_KEY).equals(auth)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Easy!Appointments\"");
                send(exchange, 401, "text/plain", "You are not authorized to use the API.");
                return;
            }
            Fault fault = take(request);
            if (fault != null && fault.delayMillis() > 0) {
                try {
                    Thread.sleep(fault.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (fault != null && fault.status() > 0) {
                fault.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                send(exchange, fault.status(), "application/json", fault.body());
                return;
            }
            Map<String, byte[]> cache = rendered;
            byte[] cached = cache == null ? null : cache.get(request);
            if (cached != null) {
                sendBytes(exchange, 200, "application/json", cached);
                return;
            }
            answer(exchange, path.substring(BASE.length()), params(query), request);
            afterAnswer.forEach(h -> h.accept(request));
        }
    }

    private Fault take(String request) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.matches().test(request)) {
                it.remove();
                return f;
            }
        }
        return null;
    }

    private void answer(HttpExchange exchange, String resource, Map<String, String> params, String request)
            throws IOException {
        String[] parts = resource.replaceAll("^/+", "").split("/");
        String name = parts[0];
        if (parts.length == 2) {
            ObjectNode one;
            long id;
            try {
                id = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                send(exchange, 404, "application/json", "");
                return;
            }
            synchronized (this) {
                one = switch (name) {
                    case "appointments" -> appointments.get(id);
                    case "customers" -> customers.containsKey(id) ? apiCustomer(customers.get(id)) : null;
                    case "services" -> services.get(id);
                    case "providers" -> providers.get(id);
                    default -> null;
                };
            }
            if (one == null) {
                send(exchange, 404, "application/json", "");
                return;
            }
            send(exchange, 200, "application/json", JSON.writeValueAsString(encode(one, name, params)));
            return;
        }
        List<ObjectNode> all;
        synchronized (this) {
            all = switch (name) {
                case "appointments" -> appointmentsFor(params);
                case "customers" -> customers.values().stream().filter(c -> !unlisted.contains(c.path("id").asLong()))
                        .map(EasyAppointmentsStub::apiCustomer).toList();
                case "services" -> new ArrayList<>(services.values());
                case "providers" -> new ArrayList<>(providers.values());
                default -> null;
            };
        }
        if (all == null) {
            send(exchange, 500, "application/json", "{\"success\":false,\"message\":\"Unknown resource " + name + "\"}");
            return;
        }
        if (!"appointments".equals(name) && "id".equals(params.get("sort"))) {
            all = all.stream().sorted((a, b) -> Long.compare(a.path("id").asLong(), b.path("id").asLong())).toList();
        }
        int page = Integer.parseInt(params.getOrDefault("page", "1"));
        int length = Integer.parseInt(params.getOrDefault("length", "20"));
        int from = Math.min(all.size(), (page - 1) * length);
        int to = Math.min(all.size(), from + length);
        ArrayNode body = JSON.createArrayNode();
        for (ObjectNode item : all.subList(from, to)) {
            body.add(encode(item, name, params));
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        Map<String, byte[]> cache = rendered;
        if (cache != null) {
            cache.put(request, bytes);
        }
        sendBytes(exchange, 200, "application/json", bytes);
    }

    private List<ObjectNode> appointmentsFor(Map<String, String> params) {
        List<ObjectNode> all = sorted;
        if (all == null) {
            all = List.copyOf(appointments.values());
            sorted = all;
        }
        String from = params.get("from");
        if (from == null) {
            return all;
        }
        LocalDate day = LocalDate.parse(from);
        return all.stream().filter(a -> !LocalDate.parse(a.path("start").asText().substring(0, 10)).isBefore(day)).toList();
    }

    /** fields keeps the listed keys; with then attaches related rows (the raw database row, snake_case). */
    private JsonNode encode(ObjectNode item, String resource, Map<String, String> params) {
        ObjectNode out = item;
        String fields = params.get("fields");
        if (fields != null) {
            Set<String> keep = new HashSet<>(Arrays.asList(fields.split(",")));
            out = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (keep.contains(e.getKey())) {
                    out.set(e.getKey(), e.getValue());
                }
            }
        }
        String with = params.get("with");
        if (with != null && honourWith && "appointments".equals(resource)) {
            Set<String> relations = new LinkedHashSet<>(Arrays.asList(with.split(",")));
            if (out == item) {
                out = item.deepCopy();
            }
            for (String relation : relations) {
                if (!relation.equals("customer")) {
                    continue;
                }
                JsonNode id = out.get("customerId");
                out.set("customer", id == null ? null : customers.get(id.asLong()));
            }
        }
        return out;
    }

    private static ObjectNode apiCustomer(ObjectNode row) {
        return JSON.createObjectNode().put("id", row.path("id").asLong()).put("firstName", row.path("first_name").asText(null))
                .put("lastName", row.path("last_name").asText(null)).put("email", row.path("email").asText(null))
                .put("phone", row.path("phone_number").asText(null)).put("timezone", "UTC");
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        sendBytes(exchange, status, type, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public URI uri(String path) {
        return URI.create(url() + BASE + path);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
