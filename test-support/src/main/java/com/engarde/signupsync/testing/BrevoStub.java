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
 * <p>
 * Contacts: {@code GET /v3/contacts/{email}} (200 with {@code emailBlacklisted}, {@code listIds},
 * {@code listUnsubscribed}, {@code attributes}, or 404 {@code document_not_found}) and {@code POST /v3/contacts}
 * (201 {@code {"id":n}} for a new contact, 204 for one updated with {@code updateEnabled: true}, 400
 * {@code duplicate_parameter} for an existing email without it, or for an SMS number another contact holds, under
 * {@code invalid_parameter} instead after {@link #duplicatesAsInvalid}); its {@code listIds} subscribe the
 * contact again, as Brevo does, so a test sees a re-subscription. {@code DELETE /v3/contacts/{email}?identifierType=email_id}
 * deletes a contact (204, or 404 {@code document_not_found}); {@link #deletions} lists what was asked. Every contacts answer carries
 * {@code x-sib-ratelimit-limit/-remaining/-reset}; {@link #rateLimited} answers the next requests 429.
 */
public final class BrevoStub implements AutoCloseable {

    public static final String API_KEY = "xkeysib-test-stub-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One transactional email as Brevo received it. */
    public record Email(String to, String name, long templateId, JsonNode params) {
    }

    private record Fault(int status, String code, String message) {
    }

    /** A contact as the account holds it. */
    public record Contact(long id, String email, JsonNode attributes, java.util.Set<Long> listIds,
                          java.util.Set<Long> listUnsubscribed, boolean emailBlacklisted, java.time.Instant modifiedAt) {
    }

    private final Map<String, Contact> contacts = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger contactRequests = new AtomicInteger();
    private final AtomicInteger limitedLeft = new AtomicInteger();
    private final Map<Integer, Fault> faultsAt = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int resetSeconds = 1;
    private volatile boolean duplicatesAsInvalid;
    private volatile java.util.function.Consumer<String> afterAccepted = email -> { };
    private volatile java.util.function.Supplier<java.time.Instant> clock = java.time.Instant::now;
    private final java.util.Set<String> listAddRefused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger batchUpdates = new AtomicInteger();
    private final AtomicInteger listAdds = new AtomicInteger();
    /** Requests per second the account enforces (0: none beyond {@link #rateLimited}), in fixed one-second windows. */
    private volatile int perSecond;
    private long windowStart;
    private int windowUsed;
    private final AtomicInteger refusedForRate = new AtomicInteger();

    private final HttpServer server;
    private final List<Email> emails = new CopyOnWriteArrayList<>();
    private final List<String> deletions = new CopyOnWriteArrayList<>();
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

    /** A contact in the account, e.g. blocklisted or unsubscribed from a list by the person. */
    public void hold(String email, JsonNode attributes, java.util.Set<Long> listIds, java.util.Set<Long> listUnsubscribed,
                     boolean emailBlacklisted) {
        contacts.put(email, new Contact(sequence.incrementAndGet(), email, attributes, java.util.Set.copyOf(listIds),
                java.util.Set.copyOf(listUnsubscribed), emailBlacklisted, clock.get()));
    }

    /** The contact is deleted in Brevo, as an account user can (erasing its blocklist status with it). */
    public void delete(String email) {
        contacts.remove(email);
    }

    /** The time the account stamps changes with ({@code modifiedAt}, read by {@code modifiedSince}). */
    public void clock(java.util.function.Supplier<java.time.Instant> clock) {
        this.clock = clock;
    }

    /** Enforces {@code requests} a second on the contacts endpoints, as Brevo's general plan does (10). */
    public void enforce(int requests) {
        perSecond = requests;
    }

    /** How many requests the enforced limit refused with 429. */
    public int refusedForRate() {
        return refusedForRate.get();
    }

    /** A list addition answers {@code email} among its failures. */
    public void refuseListAdd(String email) {
        listAddRefused.add(email);
    }

    /** How many batch update requests ({@code POST /v3/contacts/batch}) were answered, failed ones included. */
    public int batchUpdates() {
        return batchUpdates.get();
    }

    /** How many list additions ({@code POST /v3/contacts/lists/{id}/contacts/add}) were answered. */
    public int listAdds() {
        return listAdds.get();
    }

    public java.util.Optional<Contact> contact(String email) {
        return java.util.Optional.ofNullable(contacts.get(email));
    }

    /** How many contacts the account holds. */
    public int contacts() {
        return contacts.size();
    }

    /** How many contact upserts the account took, the same contact twice counting twice. */
    public int accepted() {
        return accepted.get();
    }

    /** How many requests reached the contacts endpoints, refused ones included. */
    public int contactRequests() {
        return contactRequests.get();
    }

    /** {@code POST /v3/contacts} for {@code email} answers 400 invalid_parameter. */
    public void refuse(String email) {
        refused.add(email);
    }

    /** Duplicates answer {@code invalid_parameter} (some accounts do) with the same message. */
    public void duplicatesAsInvalid() {
        duplicatesAsInvalid = true;
    }

    /** The next {@code requests} contacts requests answer 429, their headers announcing a reset in {@code seconds}. */
    public void rateLimited(int requests, int seconds) {
        resetSeconds = seconds;
        limitedLeft.set(requests);
    }

    /** The {@code n}-th contacts request (counted as {@link #contactRequests}, 1-based) answers this error. */
    public void failContactRequest(int n, int status, String code, String message) {
        faultsAt.put(n, new Fault(status, code, message));
    }

    /** Called with the email of each upsert taken (a test advances its clock there). */
    public void afterAccepted(java.util.function.Consumer<String> hook) {
        afterAccepted = hook;
    }

    public List<Email> emails() {
        return List.copyOf(emails);
    }

    /** Every request as {@code "POST /v3/smtp/email"}. */
    /** The addresses {@code DELETE /v3/contacts/{email}} was asked for, held or not, in order. */
    public List<String> deletions() {
        return List.copyOf(deletions);
    }

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
            if (path.startsWith("/v3/contacts")) {
                contacts(exchange, method, path, body);
            } else if ("POST".equals(method) && path.equals("/v3/smtp/email")) {
                sendEmail(exchange, body);
            } else if ("GET".equals(method) && path.equals("/v3/account")) {
                StubHttp.send(exchange, 200, "{\"email\":\"owner@example.com\",\"companyName\":\"En Garde\"}", Map.of());
            } else {
                error(exchange, 404, "document_not_found", "Invalid route");
            }
        }
    }

    private void sendEmail(HttpExchange exchange, byte[] bytes) throws IOException {
        JsonNode body = json(exchange, bytes);
        if (body == null) {
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

    private void contacts(HttpExchange exchange, String method, String path, byte[] bytes) throws IOException {
        int n = contactRequests.incrementAndGet();
        Fault fault = faultsAt.remove(n);
        if (fault != null) {
            error(exchange, fault.status(), fault.code(), fault.message());
            return;
        }
        if (limitedLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            StubHttp.send(exchange, 429, JSON.createObjectNode().put("code", "too_many_requests")
                    .put("message", "Too many requests").toString(), limits(0));
            return;
        }
        Map<String, String> limits = limits(9);
        if (perSecond > 0) {
            int remaining;
            long resetMillis;
            synchronized (this) {
                long now = System.currentTimeMillis();
                if (now - windowStart >= 1000) {
                    windowStart = now;
                    windowUsed = 0;
                }
                windowUsed++;
                remaining = perSecond - windowUsed;
                resetMillis = 1000 - (now - windowStart);
            }
            String reset = Long.toString(Math.max(1, (resetMillis + 999) / 1000));
            if (remaining < 0) {
                refusedForRate.incrementAndGet();
                StubHttp.send(exchange, 429, JSON.createObjectNode().put("code", "too_many_requests")
                        .put("message", "Too many requests").toString(), Map.of("x-sib-ratelimit-limit",
                        Integer.toString(perSecond), "x-sib-ratelimit-remaining", "0", "x-sib-ratelimit-reset", reset));
                return;
            }
            limits = Map.of("x-sib-ratelimit-limit", Integer.toString(perSecond),
                    "x-sib-ratelimit-remaining", Integer.toString(remaining), "x-sib-ratelimit-reset", reset);
        }
        if ("GET".equals(method) && path.equals("/v3/contacts")) {
            list(exchange, exchange.getRequestURI().getRawQuery(), limits);
            return;
        }
        if ("POST".equals(method) && path.equals("/v3/contacts/batch")) {
            batchUpdate(exchange, bytes, limits);
            return;
        }
        if ("POST".equals(method) && path.matches("/v3/contacts/lists/[0-9]+/contacts/add")) {
            listAdd(exchange, Long.parseLong(path.split("/")[4]), bytes, limits);
            return;
        }
        if ("DELETE".equals(method) && path.startsWith("/v3/contacts/")) {
            // An erasure: identifierType=email_id names the contact by its address (brevo.md §9); 204, or 404.
            String email = java.net.URLDecoder.decode(path.substring("/v3/contacts/".length()), java.nio.charset.StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            if (query == null || !query.contains("identifierType=email_id")) {
                error(exchange, 400, "invalid_parameter", "identifierType is required for an email identifier");
                return;
            }
            deletions.add(email);
            if (contacts.remove(email) == null) {
                StubHttp.send(exchange, 404, JSON.createObjectNode().put("code", "document_not_found")
                        .put("message", "Contact does not exist").toString(), limits);
            } else {
                limits.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                exchange.sendResponseHeaders(204, -1);
            }
            return;
        }
        if ("GET".equals(method) && path.startsWith("/v3/contacts/")) {
            String email = java.net.URLDecoder.decode(path.substring("/v3/contacts/".length()), java.nio.charset.StandardCharsets.UTF_8);
            Contact held = contacts.get(email);
            if (held == null) {
                StubHttp.send(exchange, 404, JSON.createObjectNode().put("code", "document_not_found")
                        .put("message", "Contact does not exist").toString(), limits);
                return;
            }
            com.fasterxml.jackson.databind.node.ObjectNode answer = JSON.createObjectNode().put("id", held.id())
                    .put("email", held.email()).put("emailBlacklisted", held.emailBlacklisted()).put("smsBlacklisted", false);
            held.listIds().forEach(answer.putArray("listIds")::add);
            held.listUnsubscribed().forEach(answer.putArray("listUnsubscribed")::add);
            answer.set("attributes", held.attributes());
            StubHttp.send(exchange, 200, answer.toString(), limits);
            return;
        }
        if (!"POST".equals(method) || !path.equals("/v3/contacts")) {
            error(exchange, 404, "document_not_found", "Invalid route");
            return;
        }
        JsonNode body = json(exchange, bytes);
        if (body == null) {
            return;
        }
        String email = body.path("email").asText("");
        if (!email.contains("@") || refused.contains(email)) {
            error(exchange, 400, "invalid_parameter", "Invalid email address");
            return;
        }
        String duplicate = duplicatesAsInvalid ? "invalid_parameter" : "duplicate_parameter";
        Contact before = contacts.get(email);
        if (before != null && !body.path("updateEnabled").asBoolean(false)) {
            StubHttp.send(exchange, 400, JSON.createObjectNode().put("code", duplicate)
                    .put("message", "email is already associated with another Contact").toString(), limits);
            return;
        }
        String sms = body.path("attributes").path("SMS").asText(null);
        if (sms != null && contacts.values().stream().anyMatch(c -> !c.email().equals(email)
                && sms.equals(c.attributes().path("SMS").asText(null)))) {
            StubHttp.send(exchange, 400, JSON.createObjectNode().put("code", duplicate)
                    .put("message", "SMS is already associated with another Contact").toString(), limits);
            return;
        }
        java.util.Set<Long> lists = new java.util.HashSet<>(before == null ? java.util.Set.of() : before.listIds());
        java.util.Set<Long> unsubscribed = new java.util.HashSet<>(before == null ? java.util.Set.of() : before.listUnsubscribed());
        for (JsonNode list : body.path("listIds")) {
            lists.add(list.asLong());
            unsubscribed.remove(list.asLong());
        }
        contacts.put(email, new Contact(before == null ? sequence.incrementAndGet() : before.id(), email,
                body.path("attributes"), java.util.Set.copyOf(lists), java.util.Set.copyOf(unsubscribed),
                before != null && before.emailBlacklisted() && !body.has("emailBlacklisted")
                        || body.path("emailBlacklisted").asBoolean(false), clock.get()));
        accepted.incrementAndGet();
        afterAccepted.accept(email);
        if (before == null) {
            StubHttp.send(exchange, 201, "{\"id\":" + contacts.get(email).id() + "}", limits);
        } else {
            limits.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** {@code GET /v3/contacts?limit=&offset=&modifiedSince=&sort=}: by modification, then id. */
    private void list(HttpExchange exchange, String rawQuery, Map<String, String> limits) throws IOException {
        Map<String, String> query = new java.util.HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        if (limit < 1 || limit > 1000) {
            error(exchange, 400, "out_of_range", "limit must be between 1 and 1000");
            return;
        }
        java.time.Instant since = query.containsKey("modifiedSince") ? java.time.Instant.parse(query.get("modifiedSince")) : null;
        List<Contact> matching = contacts.values().stream()
                .filter(c -> since == null || !c.modifiedAt().isBefore(since))
                .sorted(java.util.Comparator.comparing(Contact::modifiedAt).thenComparing(Contact::id)).toList();
        com.fasterxml.jackson.databind.node.ObjectNode answer = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode page = answer.putArray("contacts");
        for (Contact c : matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()))) {
            com.fasterxml.jackson.databind.node.ObjectNode node = page.addObject().put("id", c.id()).put("email", c.email())
                    .put("emailBlacklisted", c.emailBlacklisted()).put("smsBlacklisted", false)
                    .put("modifiedAt", c.modifiedAt().toString());
            c.listIds().forEach(node.putArray("listIds")::add);
            c.listUnsubscribed().forEach(node.putArray("listUnsubscribed")::add);
            node.set("attributes", c.attributes());
        }
        answer.put("count", matching.size());
        StubHttp.send(exchange, 200, answer.toString(), limits);
    }

    /** {@code POST /v3/contacts/batch}: updates only; one unknown contact fails the whole request with 404. */
    private void batchUpdate(HttpExchange exchange, byte[] bytes, Map<String, String> limits) throws IOException {
        batchUpdates.incrementAndGet();
        JsonNode body = json(exchange, bytes);
        if (body == null) {
            return;
        }
        List<Integer> unknown = new java.util.ArrayList<>();
        int index = 0;
        for (JsonNode c : body.path("contacts")) {
            if (!contacts.containsKey(c.path("email").asText(""))) {
                unknown.add(index);
            }
            index++;
        }
        if (unknown.size() > 0) {
            StubHttp.send(exchange, 404, JSON.createObjectNode().put("code", "document_not_found")
                    .put("message", "No contact found for indexes " + String.join(",", unknown.stream().map(String::valueOf).toList()))
                    .toString(), limits);
            return;
        }
        for (JsonNode c : body.path("contacts")) {
            String email = c.path("email").asText();
            Contact before = contacts.get(email);
            com.fasterxml.jackson.databind.node.ObjectNode attributes = before.attributes().isObject()
                    ? ((com.fasterxml.jackson.databind.node.ObjectNode) before.attributes()).deepCopy() : JSON.createObjectNode();
            c.path("attributes").fields().forEachRemaining(e -> attributes.set(e.getKey(), e.getValue()));
            java.util.Set<Long> lists = new java.util.HashSet<>(before.listIds());
            java.util.Set<Long> unsubscribed = new java.util.HashSet<>(before.listUnsubscribed());
            for (JsonNode list : c.path("listIds")) {
                lists.add(list.asLong());
                unsubscribed.remove(list.asLong());
            }
            contacts.put(email, new Contact(before.id(), email, attributes, java.util.Set.copyOf(lists),
                    java.util.Set.copyOf(unsubscribed), before.emailBlacklisted(), clock.get()));
            accepted.incrementAndGet();
            afterAccepted.accept(email);
        }
        limits.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(204, -1);
    }

    /** {@code POST /v3/contacts/lists/{id}/contacts/add} {@code {"emails": [...]}}, at most 150: who was added, who not. */
    private void listAdd(HttpExchange exchange, long listId, byte[] bytes, Map<String, String> limits) throws IOException {
        listAdds.incrementAndGet();
        JsonNode body = json(exchange, bytes);
        if (body == null) {
            return;
        }
        if (body.path("emails").size() > 150) {
            error(exchange, 400, "out_of_range", "emails can hold at most 150 addresses");
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode answer = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ObjectNode result = answer.putObject("contacts");
        com.fasterxml.jackson.databind.node.ArrayNode success = result.putArray("success");
        com.fasterxml.jackson.databind.node.ArrayNode failure = result.putArray("failure");
        for (JsonNode e : body.path("emails")) {
            String email = e.asText();
            Contact before = contacts.get(email);
            if (before == null || listAddRefused.contains(email)) {
                failure.add(email);
                continue;
            }
            java.util.Set<Long> lists = new java.util.HashSet<>(before.listIds());
            lists.add(listId);
            java.util.Set<Long> unsubscribed = new java.util.HashSet<>(before.listUnsubscribed());
            unsubscribed.remove(listId);
            contacts.put(email, new Contact(before.id(), email, before.attributes(), java.util.Set.copyOf(lists),
                    java.util.Set.copyOf(unsubscribed), before.emailBlacklisted(), clock.get()));
            success.add(email);
        }
        result.put("total", body.path("emails").size());
        StubHttp.send(exchange, 201, answer.toString(), limits);
    }

    private Map<String, String> limits(int remaining) {
        return Map.of("x-sib-ratelimit-limit", "10", "x-sib-ratelimit-remaining", Integer.toString(remaining),
                "x-sib-ratelimit-reset", Integer.toString(resetSeconds));
    }

    /** The request's JSON body, or null after answering 400 {@code bad_request} as Brevo does for one it cannot read. */
    private static JsonNode json(HttpExchange exchange, byte[] bytes) throws IOException {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            error(exchange, 400, "bad_request", "Input must be a valid JSON object");
            return null;
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        StubHttp.send(exchange, status, JSON.createObjectNode().put("code", code).put("message", message).toString(), Map.of());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
