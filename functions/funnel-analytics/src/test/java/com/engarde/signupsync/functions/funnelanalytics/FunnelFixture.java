package com.engarde.signupsync.functions.funnelanalytics;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.funnel.Conversions;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.testing.LambdaHarness;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes hand-built funnel data through the real writers (so the triggers run) and asks the real handler. */
final class FunnelFixture {

    private final LambdaHarness lambda;

    FunnelFixture(LambdaHarness lambda) {
        this.lambda = lambda;
    }

    static NewFunnelEvent event(String who, SourceType source, EventType type, String externalId, String at, Utm utm) {
        return new NewFunnelEvent(source, type, externalId, Instant.parse(at),
                new Person(who + "@example.com", null, null, null), utm, JsonNodeFactory.instance.objectNode());
    }

    static NewFunnelEvent event(String who, SourceType source, EventType type, String externalId, String at) {
        return event(who, source, type, externalId, at, Utm.NONE);
    }

    void write(NewFunnelEvent... events) {
        lambda.context().getBean(FunnelEventWriter.class).write(List.of(events));
    }

    void write(List<NewFunnelEvent> events) {
        lambda.context().getBean(FunnelEventWriter.class).write(events);
    }

    void convert(String who, String platformUserId, String at) {
        lambda.context().getBean(Conversions.class).convert(lambda.context().getBean(JsonBodies.class).object((
                "{\"email\":\"" + who + "@example.com\",\"platform_user_id\":\"" + platformUserId
                + "\",\"converted_at\":\"" + at + "\"}").getBytes(StandardCharsets.UTF_8), Conversions.MAX_BODY_BYTES));
    }

    /** GET {@code path?query} through the Lambda handler; the query is written as a browser would send it. */
    LambdaHarness.Response get(String path, String query) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request("GET", path, null);
        Map<String, List<String>> multi = new LinkedHashMap<>();
        Map<String, String> single = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                multi.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                single.put(name, value);
            }
        }
        request.setQueryStringParameters(single);
        request.setMultiValueQueryStringParameters(multi);
        return lambda.handle(request);
    }

    JsonNode ok(String path, String query) {
        LambdaHarness.Response r = get(path, query);
        if (r.status() != 200) {
            throw new AssertionError(path + "?" + query + " answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    JsonNode metrics(String query) {
        return ok("/analytics/funnel-metrics", query);
    }

    /** The lead counts of each stage of one group (or of the total, {@code node} being the total). */
    static List<Long> stageCounts(JsonNode metrics) {
        List<Long> counts = new ArrayList<>();
        metrics.path("stages").forEach(s -> counts.add(s.path("leads").asLong()));
        return counts;
    }

    static JsonNode group(JsonNode report, String key) {
        for (JsonNode g : report.path("groups")) {
            if (g.path("key").asText().equals(key)) {
                return g;
            }
        }
        throw new AssertionError("no group " + key + " in " + report.path("groups"));
    }
}
