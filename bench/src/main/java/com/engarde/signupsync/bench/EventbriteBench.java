package com.engarde.signupsync.bench;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.eventbrite.EventbriteSource;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.EventbriteStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Requests the Eventbrite connector makes, against the stub (pages of 50, as Eventbrite's are) holding an
 * organization of 200 events (default) with 3 orders of 2 tickets each (default): a first sync, a second
 * one over unchanged data, and one after a day's check-ins; against Eventbrite's hourly limit (2,000 calls
 * per token, 2.5% of it is 50) and against a baseline measured in the same run: the event-by-event walk
 * of the best-known open connector (organization's events in pages of 10, then each event's attendees,
 * then the organization's orders). Usage: {@code bench/run.sh EventbriteBench [events] [ordersPerEvent]}.
 */
public final class EventbriteBench {

    private static final int HOURLY_LIMIT = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int ordersPerEvent = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Instant now = Instant.now();
        try (EventbriteStub stub = new EventbriteStub(50)) {
            stub.generate(events, ordersPerEvent, now.minusSeconds(86_400));
            int attendees = events * ordersPerEvent * 2;
            int orders = events * ordersPerEvent;
            System.out.printf("organization: %d events, %d orders, %d attendees; pages of 50 (load: %s)%n",
                    events, orders, attendees, load());

            long baseline = eventByEventWalk(stub);

            TestDatabase.get().truncate();
            Map<String, Object> properties = new HashMap<>();
            properties.put("eventbrite.api.url", stub.apiUrl());
            properties.put("eventbrite.oauth.token", EventbriteStub.TOKEN);
            properties.put("eventbrite.organization.id", EventbriteStub.ORGANIZATION);
            try (LambdaHarness lambda = new LambdaHarness(properties)) {
                stub.clearRequests();
                SyncRun first = sync(lambda);
                long firstRequests = stub.requests().size();
                print("first sync", first, stub, firstRequests, baseline);

                stub.clearRequests();
                SyncRun second = sync(lambda);
                print("second sync, nothing changed", second, stub, stub.requests().size(), baseline);
                long perListing = Math.max(count(stub, "/attendees/"), count(stub, "/orders/"));

                // A day's change: a tenth of the attendees checked in an hour ago.
                for (int i = 1; i <= orders / 10; i++) {
                    String event = Long.toString(700000000L + ((i - 1) % events) + 1);
                    String order = event + "-" + (((i - 1) / events) % ordersPerEvent + 1);
                    stub.attendee(order + "-1").put("checked_in", true).put("changed", now.minusSeconds(3600).toString());
                }
                stub.clearRequests();
                SyncRun third = sync(lambda);
                print("after " + orders / 10 + " check-ins", third, stub, stub.requests().size(), baseline);

                System.out.printf("target: first sync %d requests = %.2f%% of the hourly limit (target < 2.5%%: %s); "
                                + "second sync %d request(s) per listing (target <= 1: %s)%n",
                        firstRequests, 100.0 * firstRequests / HOURLY_LIMIT, firstRequests < HOURLY_LIMIT * 0.025 ? "met" : "NOT met",
                        perListing, perListing <= 1 ? "met" : "NOT met");
            }
        }
        System.out.printf("load average after the run: %s (the machine is shared with other work)%n", load());
    }

    private static SyncRun sync(LambdaHarness lambda) {
        SyncRunLog runs = lambda.context().getBean(SyncRunLog.class);
        long id = runs.start("eventbrite", SyncTrigger.MANUAL).run().id();
        SyncRun run = lambda.context().getBean(SyncEngine.class)
                .execute(id, lambda.context().getBean(EventbriteSource.class), TimeBudget.unlimited()).orElseThrow();
        if (run.status() != SyncStatus.SUCCEEDED) {
            throw new IllegalStateException("the sync did not succeed: " + run.errorMessage());
        }
        return run;
    }

    private static void print(String what, SyncRun run, EventbriteStub stub, long requests, long baseline) {
        System.out.printf("%-32s %4d requests (attendees %d, orders %d), %.2f%% of the hourly limit, %.3f x the"
                        + " event-by-event walk (%d); records created %d, updated %d, unchanged %d  (load: %s)%n",
                what, requests, count(stub, "/attendees/"), count(stub, "/orders/"), 100.0 * requests / HOURLY_LIMIT,
                (double) requests / baseline, baseline, run.counts().created(), run.counts().updated(),
                run.counts().unchanged(), load());
    }

    private static long count(EventbriteStub stub, String listing) {
        Predicate<String> organizationLevel = r -> r.contains("/organizations/") && r.contains(listing);
        return stub.count(organizationLevel);
    }

    /** The baseline: what an event-by-event connector asks for the same organization (every page followed). */
    private static long eventByEventWalk(EventbriteStub stub) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        stub.clearRequests();
        String org = EventbriteStub.ORGANIZATION;
        get(http, stub, "users/me/organizations/");
        List<String> eventIds = new java.util.ArrayList<>();
        walk(http, stub, "organizations/" + org + "/events/?page_size=10", "events",
                e -> eventIds.add(e.path("id").asText()));
        for (String event : eventIds) {
            walk(http, stub, "events/" + event + "/attendees/", "attendees", a -> { });
        }
        walk(http, stub, "organizations/" + org + "/orders/?status=both", "orders", o -> { });
        long requests = stub.requests().size();
        stub.clearRequests();
        return requests;
    }

    private static void walk(HttpClient http, EventbriteStub stub, String first, String field,
                             java.util.function.Consumer<JsonNode> each) throws IOException, InterruptedException {
        String next = first;
        while (next != null) {
            JsonNode page = get(http, stub, next);
            page.path(field).forEach(each);
            JsonNode pagination = page.path("pagination");
            next = pagination.path("has_more_items").asBoolean(false)
                    ? first + (first.contains("?") ? "&" : "?") + "continuation="
                    + URLEncoder.encode(pagination.path("continuation").asText(), StandardCharsets.UTF_8)
                    : null;
        }
    }

    private static JsonNode get(HttpClient http, EventbriteStub stub, String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(stub.apiUrl() + path))
                .header("Authorization", "Bearer " + EventbriteStub.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
