package com.engarde.signupsync.sources.zoom;

import com.engarde.signupsync.http.OAuthClientCredentials;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Zoom's REST API v2 as documented (shared/sources/zoom.md): Server-to-Server OAuth, {@code page_size} and
 * {@code next_page_token} (empty on the last page), errors {@code {"code","message"}}. One token per account
 * ({@link OAuthClientCredentials}: cached until a minute before it expires, renewed once on a 401, which is
 * Zoom's code 124). Light and Medium calls go through one paced {@link VendorHttp}, Heavy (report) calls
 * through another with the Heavy limit; both share the token.
 */
final class ZoomClient {

    static final String VENDOR = "Zoom";
    /** The next page token is invalid or expired (they live 15 minutes). */
    static final String EXPIRED_PAGE_TOKEN = "300";
    /** The webinar does not exist or has expired. */
    static final String NOT_FOUND = "3001";
    /** The user may not host webinars (no licence). */
    static final String NOT_LICENSED = "3161";

    /** One page of a listing: its items and the token of the next page (null on the last). */
    record Page(JsonNode items, String next) {
    }

    private final ZoomSettings settings;
    private final VendorHttp medium;
    private final VendorHttp heavy;
    private final ObjectMapper mapper;
    private final String identity;

    ZoomClient(ZoomSettings settings, String accountId, String clientId, String clientSecret, RetryPolicy retry,
               Clock clock, ObjectMapper mapper) {
        this.settings = settings;
        this.mapper = mapper;
        this.identity = accountId + "\n" + clientId + "\n" + clientSecret;
        VendorHttp.requireSafeBase(settings.api());
        OAuthClientCredentials token = new OAuthClientCredentials(VENDOR, settings.token(), clientId, clientSecret,
                Map.of("grant_type", "account_credentials", "account_id", accountId), settings.medium(), retry, clock, mapper);
        VendorHttp.ErrorReading errors = new ZoomErrors(mapper);
        this.medium = new VendorHttp(VENDOR, token, settings.medium(), retry, clock,
                answer -> VendorHttp.jsonMessage(mapper, answer, "message"), errors);
        this.heavy = new VendorHttp(VENDOR, token, settings.heavy(), retry, clock,
                answer -> VendorHttp.jsonMessage(mapper, answer, "message"), errors);
    }

    /** True when this client holds these credentials (a rotation gets a new client, and a new token). */
    boolean uses(String accountId, String clientId, String clientSecret) {
        return identity.equals(accountId + "\n" + clientId + "\n" + clientSecret);
    }

    /** Active users of the account (Medium). */
    Page users(String token, TimeBudget budget) {
        return page(medium, "users?status=active", "users", token, budget);
    }

    /** A user's webinars (Medium); throws with code {@value #NOT_LICENSED} for a user without a webinar licence. */
    Page webinars(String userId, String token, TimeBudget budget) {
        return page(medium, "users/" + segment(userId) + "/webinars?type=scheduled", "webinars", token, budget);
    }

    /** A webinar's registrants of one status (Medium): Zoom answers only approved ones unless asked. */
    Page registrants(String webinarId, String status, String token, TimeBudget budget) {
        return registrants(webinarId, status, null, token, budget);
    }

    /** As {@link #registrants(String, String, String, TimeBudget)}, only those who came by one tracking source. */
    Page registrants(String webinarId, String status, String trackingSourceId, String token, TimeBudget budget) {
        return page(medium, "webinars/" + segment(webinarId) + "/registrants?status=" + status
                + (trackingSourceId == null ? "" : "&tracking_source_id=" + segment(trackingSourceId)), "registrants", token, budget);
    }

    /**
     * The webinar's registration tracking sources, {@code {id,source_name,tracking_url,registration_count}}
     * (Medium; not paged). Registrants do not name their source: a registrant listing filtered by
     * {@code tracking_source_id} tells who came by which.
     */
    JsonNode trackingSources(String webinarId, TimeBudget budget) {
        JsonNode body = parse(medium.get(settings.api().resolve("webinars/" + segment(webinarId) + "/tracking_sources"),
                budget), "tracking sources");
        return body.path("tracking_sources");
    }

    /** The ended runs of a webinar, {@code {uuid,start_time}} (Light). */
    JsonNode instances(String webinarId, TimeBudget budget) {
        JsonNode body = parse(medium.get(settings.api().resolve("past_webinars/" + segment(webinarId) + "/instances"),
                budget), "past webinar instances");
        return body.path("webinars");
    }

    /** One page of a run's participants from the report (Heavy), with their registrant ids. */
    Page participants(String runUuid, String token, TimeBudget budget) {
        return page(heavy, "report/webinars/" + uuid(runUuid) + "/participants?include_fields=registrant_id",
                "participants", token, budget);
    }

    private Page page(VendorHttp http, String pathAndQuery, String field, String token, TimeBudget budget) {
        String query = pathAndQuery + "&page_size=" + settings.pageSize()
                + (token == null ? "" : "&next_page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        JsonNode body = parse(http.get(settings.api().resolve(query), budget), field);
        JsonNode items = body.path(field);
        if (!items.isArray()) {
            throw new VendorException(VENDOR, 200, VENDOR + " answered " + field + " without a " + field + " array", null);
        }
        String next = body.path("next_page_token").asText("");
        return new Page(items, next.isEmpty() ? null : next);
    }

    /** A path segment: numeric ids and user ids as they are, encoded once. */
    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    /**
     * A run's UUID as a path segment: encoded twice when it starts with a slash or holds a double slash (Zoom
     * decodes the path once before routing, so those would split it), once otherwise.
     */
    static String uuid(String uuid) {
        String once = URLEncoder.encode(uuid, StandardCharsets.UTF_8);
        return uuid.startsWith("/") || uuid.contains("//") ? URLEncoder.encode(once, StandardCharsets.UTF_8) : once;
    }

    private JsonNode parse(byte[] body, String what) {
        return VendorHttp.jsonObject(mapper, VENDOR, body, what);
    }

    /**
     * Zoom's error code ({@code {"code":3001}}), and its daily limits: a 429 with
     * {@code X-RateLimit-Type: Daily-limit}, or whose message names the daily limit, resets at midnight UTC
     * (its Retry-After, an ISO timestamp, is sometimes absent). A per-second limit is retried after a pause.
     */
    private record ZoomErrors(ObjectMapper mapper) implements VendorHttp.ErrorReading {
        @Override
        public String code(VendorHttp.Answer answer) {
            return VendorHttp.jsonField(mapper, answer, "code");
        }

        @Override
        public Optional<Instant> quotaResetsAt(VendorHttp.Answer answer, HttpHeaders headers, Instant now) {
            boolean daily = headers.firstValue("X-RateLimit-Type").map(t -> t.equalsIgnoreCase("Daily-limit")).orElse(false)
                    || VendorHttp.jsonMessage(mapper, answer, "message").toLowerCase(java.util.Locale.ROOT).contains("daily");
            return daily ? Optional.of(LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                    .toInstant()) : Optional.empty();
        }
    }
}
