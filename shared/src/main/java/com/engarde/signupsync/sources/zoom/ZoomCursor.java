package com.engarde.signupsync.sources.zoom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Zoom checkpoint: {@code {"webinars":["123",...],"index":4,"stage":1,"page_token":"...",
 * "token_at":"...","read_runs":["uuid",...],"done":false}}. A pass walks the webinars listed at its start;
 * for webinar {@code index}, stages 0-2 are its registrants of each {@link #STATUSES status}, stage 3 its
 * ended runs. {@code page_token} resumes the current listing while it is younger than {@link #TOKEN_LIFE}
 * (Zoom's tokens live 15 minutes; an older one restarts the listing, which re-reads a page or two and loses
 * nothing). {@code read_runs} are the ended runs whose participants were read: a run that has ended does
 * not change, so it is read once, across passes.
 */
record ZoomCursor(List<String> webinars, int index, int stage, String pageToken, Instant tokenAt,
                  Set<String> readRuns, boolean done) {

    static final List<String> STATUSES = List.of("approved", "pending", "denied");
    static final int RUNS = STATUSES.size();
    static final Duration TOKEN_LIFE = Duration.ofMinutes(14);

    /** A pass that has not listed its webinars yet, remembering the runs already read. */
    static ZoomCursor start(Set<String> readRuns) {
        return new ZoomCursor(null, 0, 0, null, null, readRuns, false);
    }

    boolean listed() {
        return webinars != null;
    }

    ZoomCursor listed(List<String> webinarIds) {
        return new ZoomCursor(List.copyOf(webinarIds), 0, 0, null, null, readRuns, webinarIds.isEmpty());
    }

    String webinar() {
        return webinars.get(index);
    }

    /** The page token to resume with at {@code now}, or null (start the listing over). */
    String token(Instant now) {
        return pageToken != null && tokenAt != null && now.isBefore(tokenAt.plus(TOKEN_LIFE)) ? pageToken : null;
    }

    /** Within the current listing, the next page is {@code token}, issued at {@code now}. */
    ZoomCursor nextPage(String token, Instant now) {
        return new ZoomCursor(webinars, index, stage, token, now, readRuns, false);
    }

    /** The current listing is over: the next stage, or the next webinar. */
    ZoomCursor nextStage() {
        return stage < RUNS ? new ZoomCursor(webinars, index, stage + 1, null, null, readRuns, false) : nextWebinar();
    }

    ZoomCursor nextWebinar() {
        int next = index + 1;
        return new ZoomCursor(webinars, next, 0, null, null, readRuns, next >= webinars.size());
    }

    ZoomCursor read(String runUuid) {
        Set<String> runs = new LinkedHashSet<>(readRuns);
        runs.add(runUuid);
        return new ZoomCursor(webinars, index, stage, null, null, runs, false);
    }

    ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (webinars != null) {
            ArrayNode list = node.putArray("webinars");
            webinars.forEach(list::add);
        }
        node.put("index", index);
        node.put("stage", stage);
        if (pageToken != null) {
            node.put("page_token", pageToken);
            node.put("token_at", tokenAt.toString());
        }
        ArrayNode runs = node.putArray("read_runs");
        readRuns.forEach(runs::add);
        node.put("done", done);
        return node;
    }

    /** The stored cursor; null when there is none or it cannot be read (a new pass that reads every run). */
    static ZoomCursor parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        try {
            List<String> webinars = null;
            if (node.path("webinars").isArray()) {
                webinars = new ArrayList<>();
                for (JsonNode w : node.get("webinars")) {
                    webinars.add(w.asText());
                }
            }
            Set<String> runs = new LinkedHashSet<>();
            node.path("read_runs").forEach(r -> runs.add(r.asText()));
            int index = Math.max(0, node.path("index").asInt(0));
            int stage = Math.min(RUNS, Math.max(0, node.path("stage").asInt(0)));
            String token = node.hasNonNull("page_token") ? node.get("page_token").asText() : null;
            Instant tokenAt = token != null && node.hasNonNull("token_at") ? Instant.parse(node.get("token_at").asText()) : null;
            boolean done = node.path("done").asBoolean(false) || (webinars != null && index >= webinars.size());
            return new ZoomCursor(webinars, index, stage, token, tokenAt, runs, done);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
