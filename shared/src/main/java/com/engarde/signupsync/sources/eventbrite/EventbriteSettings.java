package com.engarde.signupsync.sources.eventbrite;

import com.engarde.signupsync.http.VendorHttp;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach and read Eventbrite. The private token and the organization id are the source's credentials
 * (asked of {@code SourceCredentials} at each run); these are settings (environment variables in brackets):
 * <ul>
 *   <li>{@code EVENTBRITE_API_URL} (default {@code https://www.eventbriteapi.com/v3/}): changed only for a stub;</li>
 *   <li>{@code EVENTBRITE_RATE} (default 1800/1h): Eventbrite allows 2,000 calls an hour per token; the client
 *       paces itself below that, leaving room for the credential checks and anything else using the token;</li>
 *   <li>{@code EVENTBRITE_OVERLAP} (default 10m, at least 10m): how far before the newest change already read
 *       the next sync asks {@code changed_since}, because Eventbrite's lists are eventually consistent (a
 *       change can take up to 5 minutes to be listed).</li>
 * </ul>
 */
@Singleton
public class EventbriteSettings {

    static final Duration MIN_OVERLAP = Duration.ofMinutes(10);

    private final URI api;
    private final VendorHttp.RateLimit rate;
    private final Duration overlap;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    public EventbriteSettings(@Value("${eventbrite.api.url:`https://www.eventbriteapi.com/v3/`}") String api,
                              @Value("${eventbrite.rate:1800/1h}") String rate,
                              @Value("${eventbrite.overlap:10m}") Duration overlap,
                              @Value("${eventbrite.connect-timeout:10s}") Duration connectTimeout,
                              @Value("${eventbrite.request-timeout:60s}") Duration requestTimeout) {
        if (overlap.compareTo(MIN_OVERLAP) < 0) {
            throw new IllegalArgumentException("EVENTBRITE_OVERLAP must be at least 10m (Eventbrite is eventually consistent)");
        }
        this.api = URI.create(api.endsWith("/") ? api : api + "/");
        this.rate = VendorHttp.RateLimit.parse(rate, "EVENTBRITE_RATE");
        this.overlap = overlap;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    URI api() {
        return api;
    }

    Duration overlap() {
        return overlap;
    }

    VendorHttp.Settings http() {
        return new VendorHttp.Settings(connectTimeout, requestTimeout, rate);
    }
}
