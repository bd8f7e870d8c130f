package com.engarde.signupsync.sources.zoom;

import com.engarde.signupsync.http.VendorHttp;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach and read Zoom. The account id, client id and secret are the source's credentials (asked of
 * {@code SourceCredentials} at each run); these are settings (environment variables in brackets):
 * A default holding a colon is quoted in backticks: unquoted, Micronaut reads the text before the colon as a
 * second placeholder and the URL loses its scheme.
 * <ul>
 *   <li>{@code ZOOM_API_URL} (default {@code https://api.zoom.us/v2/}) and {@code ZOOM_OAUTH_URL} (default
 *       {@code https://zoom.us/oauth/token}): changed only for a stub;</li>
 *   <li>{@code ZOOM_PAGE_SIZE} (default 300, Zoom's maximum): records per listing request;</li>
 *   <li>{@code ZOOM_MEDIUM_RATE} (default 20/1s, Pro's Medium limit; light calls are paced with them) and
 *       {@code ZOOM_HEAVY_RATE} (default 10/1s, Pro's Heavy limit): the account's limits are shared with every
 *       other app on it, so the client paces itself below them rather than finding them by 429s.</li>
 * </ul>
 */
@Singleton
public class ZoomSettings {

    private final URI api;
    private final URI token;
    private final int pageSize;
    private final VendorHttp.RateLimit medium;
    private final VendorHttp.RateLimit heavy;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    public ZoomSettings(@Value("${zoom.api.url:`https://api.zoom.us/v2/`}") String api,
                        @Value("${zoom.oauth.url:`https://zoom.us/oauth/token`}") String token,
                        @Value("${zoom.page-size:300}") int pageSize,
                        @Value("${zoom.medium-rate:20/1s}") String medium,
                        @Value("${zoom.heavy-rate:10/1s}") String heavy,
                        @Value("${zoom.connect-timeout:10s}") Duration connectTimeout,
                        @Value("${zoom.request-timeout:60s}") Duration requestTimeout) {
        if (pageSize < 1 || pageSize > 300) {
            throw new IllegalArgumentException("ZOOM_PAGE_SIZE must be between 1 and 300");
        }
        this.api = URI.create(api.endsWith("/") ? api : api + "/");
        this.token = URI.create(token);
        this.pageSize = pageSize;
        this.medium = VendorHttp.RateLimit.parse(medium, "ZOOM_MEDIUM_RATE");
        this.heavy = VendorHttp.RateLimit.parse(heavy, "ZOOM_HEAVY_RATE");
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    URI api() {
        return api;
    }

    URI token() {
        return token;
    }

    int pageSize() {
        return pageSize;
    }

    VendorHttp.Settings medium() {
        return new VendorHttp.Settings(connectTimeout, requestTimeout, medium);
    }

    VendorHttp.Settings heavy() {
        return new VendorHttp.Settings(connectTimeout, requestTimeout, heavy);
    }
}
