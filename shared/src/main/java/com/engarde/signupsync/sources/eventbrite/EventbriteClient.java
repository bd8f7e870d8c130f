package com.engarde.signupsync.sources.eventbrite;

import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.VendorAuth;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Eventbrite's API v3 as documented (shared/sources/eventbrite.md): a private token as a bearer token, list
 * envelopes {@code {"pagination":{...,"continuation","has_more_items"},"<items>":[...]}} paged by repeating the
 * request with {@code continuation}, errors {@code {"error","error_description","status_code"}}. One paced
 * {@link VendorHttp} per token: its pacing spans consecutive runs of a container.
 */
final class EventbriteClient {

    static final String VENDOR = "Eventbrite";
    /** A continuation token Eventbrite no longer accepts. */
    static final String BAD_CONTINUATION = "BAD_CONTINUATION_TOKEN";

    /** One page of a listing: its items, and the continuation of the next page (null after the last). */
    record Page(JsonNode items, String continuation) {
        boolean last() {
            return continuation == null;
        }
    }

    private final EventbriteSettings settings;
    private final VendorHttp http;
    private final ObjectMapper mapper;
    private final String token;

    EventbriteClient(EventbriteSettings settings, String token, RetryPolicy retry, Clock clock, ObjectMapper mapper) {
        this.settings = settings;
        this.mapper = mapper;
        this.token = token;
        VendorHttp.requireSafeBase(settings.api());
        this.http = new VendorHttp(VENDOR, VendorAuth.bearer(token), settings.http(), retry, clock,
                answer -> VendorHttp.jsonMessage(mapper, answer, "error_description", "error"), new EventbriteErrors(mapper));
    }

    /** True when this client holds this token (a rotation gets a new client). */
    boolean uses(String privateToken) {
        return token.equals(privateToken);
    }

    /** The first page of the organizations the token's user belongs to. */
    JsonNode organizations(TimeBudget budget) {
        return page("users/me/organizations/", "organizations", budget).items();
    }

    /** The organization's attendees (every event) changed on or after {@code since} (null: all of them). */
    Page attendees(String organization, Instant since, String continuation, TimeBudget budget) {
        return page(listing(organization, "attendees", since, continuation, null), "attendees", budget);
    }

    /**
     * The organization's orders changed on or after {@code since}: {@code status=both}, active and inactive,
     * so that a refunded or cancelled order is listed (the default is active ones only).
     */
    Page orders(String organization, Instant since, String continuation, TimeBudget budget) {
        return page(listing(organization, "orders", since, continuation, "both"), "orders", budget);
    }

    private static String listing(String organization, String items, Instant since, String continuation, String status) {
        StringBuilder query = new StringBuilder("organizations/")
                .append(URLEncoder.encode(organization, StandardCharsets.UTF_8)).append('/').append(items).append("/?");
        if (status != null) {
            query.append("status=").append(status).append('&');
        }
        if (since != null) {
            // Eventbrite's Datetime: UTC, whole seconds, "Z" (truncated down, so the boundary itself is asked for).
            query.append("changed_since=").append(since.truncatedTo(ChronoUnit.SECONDS)).append('&');
        }
        if (continuation != null) {
            query.append("continuation=").append(URLEncoder.encode(continuation, StandardCharsets.UTF_8)).append('&');
        }
        return query.substring(0, query.length() - 1);
    }

    /**
     * One page; the listing goes on only while {@code has_more_items} is true (a continuation token alone is not
     * a stop condition: Eventbrite sends one on the last page too). An older envelope without
     * {@code has_more_items} goes on while {@code page_number < page_count}.
     */
    private Page page(String pathAndQuery, String field, TimeBudget budget) {
        JsonNode body = parse(http.get(settings.api().resolve(pathAndQuery), budget), field);
        JsonNode items = body.path(field);
        if (!items.isArray()) {
            throw new VendorException(VENDOR, 200, VENDOR + " answered " + field + " without a " + field + " array", null);
        }
        JsonNode pagination = body.path("pagination");
        boolean more = pagination.has("has_more_items")
                ? pagination.path("has_more_items").asBoolean(false)
                : pagination.path("page_number").asInt(1) < pagination.path("page_count").asInt(1);
        if (!more) {
            return new Page(items, null);
        }
        String continuation = pagination.path("continuation").asText("");
        if (continuation.isEmpty() || pagination.path("continuation").isNull()) {
            throw new VendorException(VENDOR, 200, VENDOR + " answered " + field
                    + " with has_more_items but no continuation token", null);
        }
        return new Page(items, continuation);
    }

    private JsonNode parse(byte[] body, String what) {
        return VendorHttp.jsonObject(mapper, VENDOR, body, what);
    }

    /**
     * Eventbrite's error constant ({@code "error":"HIT_RATE_LIMIT"}), and its limit: 2,000 calls an hour per
     * token, with no rate-limit headers documented. A 429 without Retry-After is that hourly quota: the run
     * ends partial and resumes at the top of the next hour, rather than retrying into the same limit.
     */
    private record EventbriteErrors(ObjectMapper mapper) implements VendorHttp.ErrorReading {
        @Override
        public String code(VendorHttp.Answer answer) {
            return VendorHttp.jsonField(mapper, answer, "error");
        }

        @Override
        public Optional<Instant> quotaResetsAt(VendorHttp.Answer answer, HttpHeaders headers, Instant now) {
            return Optional.of(now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
        }
    }
}
