package com.engarde.signupsync.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An Eventbrite organization on 127.0.0.1 speaking API v3 as documented in shared/sources/eventbrite.md:
 * {@code Authorization: Bearer <private token>} (401 {@code NO_AUTH} without one, {@code INVALID_AUTH} for
 * another), {@code /users/me/organizations/}, {@code /organizations/{id}/attendees/} and
 * {@code /organizations/{id}/orders/} (orders filtered by {@code status}: active ones unless asked for
 * {@code both}), {@code changed_since} (on or after, {@code 2010-01-31T13:00:00Z} form, else 400
 * {@code ARGUMENTS_ERROR}), fixed-size pages with {@code continuation} tokens, whose last page has
 * {@code has_more_items: false} and still a continuation token (which answers an empty page), 400
 * {@code BAD_CONTINUATION_TOKEN} once {@link #expireContinuations expired}, the event-level walk that
 * connectors reading event by event make ({@code /organizations/{id}/events/} with {@code page_size},
 * {@code /events/{id}/attendees/}: the benchmark's baseline), and an hourly limit answering 429
 * {@code HIT_RATE_LIMIT} without Retry-After. Tests script faults ({@link #fault}) and watch what was asked.
 */
public final class EventbriteStub implements AutoCloseable {

    public static final String TOKEN = "test-eventbrite-private-token";
    public static final String ORGANIZATION = "463521700001";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    /** A scripted answer for the next request ({@code "GET /v3/...?query"}) that matches. */
    public record Fault(Predicate<String> matches, int status, String body, Map<String, String> headers) {
        public static Fault on(String contains, int status, String error, String description, Map<String, String> headers) {
            return new Fault(r -> r.contains(contains), status, error(status, error, description), headers);
        }
    }

    private record Cursor(String listing, int offset) {
    }

    private final HttpServer server;
    private final int pageSize;
    private final List<String> organizations = new CopyOnWriteArrayList<>(List.of(ORGANIZATION));
    private final List<ObjectNode> attendees = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> orders = new CopyOnWriteArrayList<>();
    private final Map<String, Cursor> continuations = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> afterAnswer = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger servedThisHour = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile int hourlyLimit;

    /** Pages of {@code pageSize} records (Eventbrite's are fixed, around 50). */
    public EventbriteStub(int pageSize) {
        this(pageSize, 0);
    }

    public EventbriteStub(int pageSize, int port) {
        this.pageSize = pageSize;
        server = StubHttp.start(port, "eventbrite-stub", this::handle);
    }

    /** EVENTBRITE_API_URL for this stub. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3/";
    }

    /**
     * Serves an organization of {@code events} generated events (default 20) on {@code port} (default 8092)
     * until stopped: {@code java -cp local/target/signup-sync-local.jar com.engarde.signupsync.testing.EventbriteStub 20 8092}.
     */
    public static void main(String[] args) throws InterruptedException {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8092;
        EventbriteStub stub = new EventbriteStub(50, port);
        stub.generate(events, 5, Instant.parse("2026-06-01T00:00:00Z"));
        System.out.println("stub Eventbrite with " + events + " events at " + stub.apiUrl());
        System.out.println("  EVENTBRITE_API_URL=" + stub.apiUrl() + " EVENTBRITE_OAUTH_TOKEN=" + TOKEN);
        Thread.currentThread().join();
    }

    /**
     * {@code events} events, each with {@code orders} orders of two tickets: odd orders buyer-only (both
     * attendees carry the buyer's profile), even ones with a named second attendee; every third order's first
     * attendee checked in, every tenth order refunded. Changes are spread an hour apart before {@code until}.
     */
    public void generate(int events, int ordersPerEvent, Instant until) {
        int n = events * ordersPerEvent;
        int i = 0;
        for (int e = 1; e <= events; e++) {
            String event = Long.toString(700000000L + e);
            for (int o = 1; o <= ordersPerEvent; o++) {
                i++;
                String changed = until.minusSeconds(3600L * (n - i + 1)).toString();
                String order = event + "-" + o;
                boolean refunded = i % 10 == 0;
                addOrder(event, order, "buyer" + i + "@example.com", refunded ? "refunded" : "placed", changed);
                ObjectNode first = addAttendee(event, order, order + "-1", "buyer" + i + "@example.com", changed);
                first.put("checked_in", i % 3 == 0).put("refunded", refunded).put("cancelled", refunded);
                addAttendee(event, order, order + "-2", o % 2 == 1 ? "buyer" + i + "@example.com" : "guest" + i + "@example.com",
                        changed).put("refunded", refunded).put("cancelled", refunded);
            }
        }
    }

    /** An attendee (one ticket) of {@code order}, status Attending, not checked in. */
    public ObjectNode addAttendee(String event, String order, String id, String email, String changed) {
        ObjectNode a = JSON.createObjectNode().put("id", id).put("created", changed).put("changed", changed)
                .put("ticket_class_id", "54506991").put("ticket_class_name", "General").put("quantity", 1)
                .put("checked_in", false).put("cancelled", false).put("refunded", false).put("status", "Attending")
                .put("event_id", event).put("order_id", order).putNull("affiliate").putNull("team")
                .put("resource_uri", "https://www.eventbriteapi.com/v3/orders/" + order + "/attendees/" + id + "/");
        a.putObject("profile").put("email", email).put("first_name", "First " + id).put("last_name", "Last")
                .put("name", "First " + id + " Last");
        a.putArray("barcodes").addObject().put("barcode", "bc" + id).put("status", "unused").put("created", changed)
                .put("changed", changed).put("checkin_type", 0);
        attendees.add(a);
        return a;
    }

    /** An order of {@code event} by {@code email}, its status {@code placed}, {@code refunded}, {@code started}... */
    public ObjectNode addOrder(String event, String id, String email, String status, String changed) {
        ObjectNode o = JSON.createObjectNode().put("id", id).put("created", changed).put("changed", changed)
                .put("name", "Buyer " + id).put("first_name", "Buyer").put("last_name", id).put("email", email)
                .put("event_id", event).put("status", status).put("time_remaining", (String) null)
                .put("resource_uri", "https://www.eventbriteapi.com/v3/orders/" + id + "/");
        o.putObject("costs").putObject("gross").put("currency", "USD").put("value", 2500).put("major_value", "25.00")
                .put("display", "$25.00");
        orders.add(o);
        return o;
    }

    public ObjectNode attendee(String id) {
        return attendees.stream().filter(a -> a.path("id").asText().equals(id)).findFirst().orElseThrow();
    }

    public ObjectNode order(String id) {
        return orders.stream().filter(o -> o.path("id").asText().equals(id)).findFirst().orElseThrow();
    }

    public void removeAttendee(String id) {
        attendees.removeIf(a -> a.path("id").asText().equals(id));
    }

    /** The token belongs to these organizations, in this order. */
    public void organizations(String... ids) {
        organizations.clear();
        organizations.addAll(List.of(ids));
    }

    /** Every continuation token issued so far is refused (400 BAD_CONTINUATION_TOKEN). */
    public void expireContinuations() {
        continuations.clear();
    }

    /** Past {@code requests} API calls (from now), 429 HIT_RATE_LIMIT without Retry-After, as the hourly limit. */
    public void hourlyLimit(int requests) {
        servedThisHour.set(0);
        hourlyLimit = requests;
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

    /** Requests refused by the hourly limit. */
    public int refused() {
        return refused.get();
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
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (fault != null) {
                StubHttp.send(exchange, fault.status(), fault.body(), fault.headers());
            } else if (auth == null) {
                StubHttp.send(exchange, 401, error(401, "NO_AUTH", "An OAuth token is required for all requests"), Map.of());
            } else if (!auth.equals("Bearer " + TOKEN)) {
                StubHttp.send(exchange, 401, error(401, "INVALID_AUTH", "The OAuth token you provided was invalid."), Map.of());
            } else if (hourlyLimit > 0 && servedThisHour.incrementAndGet() > hourlyLimit) {
                refused.incrementAndGet();
                StubHttp.send(exchange, 429, error(429, "HIT_RATE_LIMIT", "Hourly rate limit has been reached for this token. "
                        + "Default rate limits are 2,000 calls per hour."), Map.of());
            } else if (!raw.startsWith("/v3/")) {
                StubHttp.send(exchange, 404, error(404, "NOT_FOUND", "The path you requested does not exist."), Map.of());
            } else {
                api(exchange, raw.substring("/v3/".length()), StubHttp.params(query));
            }
        } finally {
            afterAnswer.forEach(hook -> hook.accept(request));
        }
    }

    private void api(HttpExchange exchange, String path, Map<String, String> params) throws IOException {
        String[] parts = path.split("/");
        if (path.equals("users/me/organizations/")) {
            List<ObjectNode> orgs = organizations.stream().map(id -> JSON.createObjectNode().put("id", id)
                    .put("name", "Organization " + id).put("vertical", "default").putNull("image_id")).toList();
            list(exchange, "organizations", orgs, params, "organizations");
            return;
        }
        if (parts.length == 3 && parts[0].equals("events") && parts[2].equals("attendees") && path.endsWith("/")) {
            // The per-event listing, as connectors that walk event by event use it (the benchmark's baseline).
            String event = StubHttp.decode(parts[1]);
            list(exchange, "attendees", attendees.stream().filter(a -> a.path("event_id").asText().equals(event)).toList(),
                    params, "event-attendees:" + event);
            return;
        }
        if (parts.length == 3 && parts[0].equals("organizations") && parts[2].equals("events") && path.endsWith("/")) {
            List<ObjectNode> events = attendees.stream().map(a -> a.path("event_id").asText()).distinct()
                    .map(id -> JSON.createObjectNode().put("id", id).put("organization_id", StubHttp.decode(parts[1]))
                            .put("status", "live")).toList();
            list(exchange, "events", events, params, "events");
            return;
        }
        if (parts.length != 3 || !parts[0].equals("organizations") || !path.endsWith("/")
                || !(parts[2].equals("attendees") || parts[2].equals("orders"))) {
            StubHttp.send(exchange, 404, error(404, "NOT_FOUND", "The path you requested does not exist."), Map.of());
            return;
        }
        if (!organizations.contains(StubHttp.decode(parts[1]))) {
            StubHttp.send(exchange, 403, error(403, "NOT_AUTHORIZED", "You do not have permission to access this organization."), Map.of());
            return;
        }
        String since = params.get("changed_since");
        if (since != null && !DATETIME.matcher(since).matches()) {
            StubHttp.send(exchange, 400, error(400, "ARGUMENTS_ERROR", "There are errors with your arguments: changed_since - INVALID"),
                    Map.of());
            return;
        }
        Instant from = since == null ? null : Instant.parse(since);
        Predicate<ObjectNode> changed = r -> from == null || !Instant.parse(r.path("changed").asText()).isBefore(from);
        if (parts[2].equals("attendees")) {
            list(exchange, "attendees", attendees.stream().filter(changed).toList(), params, "attendees:" + since);
        } else {
            String status = params.getOrDefault("status", "active");
            Predicate<ObjectNode> inStatus = o -> {
                boolean active = o.path("status").asText().equals("placed");
                return switch (status) {
                    case "both", "all_not_deleted" -> true;
                    case "inactive" -> !active;
                    default -> active;
                };
            };
            list(exchange, "orders", orders.stream().filter(changed).filter(inStatus).toList(), params,
                    "orders:" + status + ":" + since);
        }
    }

    private void list(HttpExchange exchange, String field, List<ObjectNode> items, Map<String, String> params,
                      String listing) throws IOException {
        int offset = 0;
        String token = params.get("continuation");
        if (token != null) {
            Cursor cursor = continuations.get(token);
            if (cursor == null || !cursor.listing().equals(listing)) {
                StubHttp.send(exchange, 400, error(400, "BAD_CONTINUATION_TOKEN", "The continuation token is invalid."), Map.of());
                return;
            }
            offset = cursor.offset();
        }
        // Only the organization's events take page_size (documented there alone); other pages are fixed.
        int size = field.equals("events") ? Math.max(1, Math.min(pageSize, Integer.parseInt(params.getOrDefault("page_size",
                Integer.toString(pageSize))))) : pageSize;
        int start = Math.min(offset, items.size());
        int end = Math.min(items.size(), start + size);
        // Eventbrite sends a continuation token on the last page too; it answers an empty page.
        String next = "c" + sequence.incrementAndGet();
        continuations.put(next, new Cursor(listing, end));
        ObjectNode body = JSON.createObjectNode();
        body.putObject("pagination").put("object_count", items.size()).put("page_number", start / size + 1)
                .put("page_size", size).put("page_count", Math.max(1, (items.size() + size - 1) / size))
                .put("continuation", next).put("has_more_items", end < items.size());
        ArrayNode array = body.putArray(field);
        items.subList(start, end).forEach(array::add);
        StubHttp.send(exchange, 200, body.toString(), Map.of());
    }

    private static String error(int status, String error, String description) {
        return JSON.createObjectNode().put("error", error).put("error_description", description)
                .put("status_code", status).toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
