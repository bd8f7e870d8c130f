package com.engarde.signupsync.sources.easyappointments;

import com.engarde.signupsync.appointments.Outcome;
import com.engarde.signupsync.http.VendorHttp;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How to reach and read an EasyAppointments instance. Environment variables (Micronaut maps each to the
 * property in brackets):
 * <ul>
 *   <li>the instance ({@code url}: {@code https://book.example.com} or its API base {@code .../index.php/api/v1})
 *       and the API token ({@code api_key}, sent as a Bearer token) are the source's credentials, asked of
 *       {@code SourceCredentials} at each run ({@code EASYAPPOINTMENTS_URL} and {@code EASYAPPOINTMENTS_API_KEY}
 *       unless an admin stored others);</li>
 *   <li>{@code EASYAPPOINTMENTS_PAGE_SIZE} (default 1000): appointments per request. The API enforces no
 *       maximum and limits requests (100 per 120 s), so large pages: 100,000 appointments in ~100 requests;</li>
 *   <li>{@code EASYAPPOINTMENTS_WINDOW_DAYS} (default 30) and {@code EASYAPPOINTMENTS_FULL_PASS_EVERY}
 *       (default 7d): the cursor design, see {@link EasyAppointmentsSource};</li>
 *   <li>{@code EASYAPPOINTMENTS_TIMEZONE} (default UTC): the instance's default timezone, in which the API
 *       writes booking times (and appointment times of providers without a timezone);</li>
 *   <li>{@code EASYAPPOINTMENTS_CANCELLED_STATUSES} (default "Cancelled,Canceled"): statuses are free text
 *       that each instance configures; these (case-insensitive) mean cancelled;</li>
 *   <li>{@code EASYAPPOINTMENTS_STATUS_OUTCOMES} (default
 *       "Booked=booked,Confirmed=booked,Rescheduled=booked,Cancelled=cancelled,Draft=booked"): what each status
 *       text means, as {@code status=outcome} pairs (outcomes {@code booked}, {@code cancelled}, {@code completed},
 *       {@code no_show}; case-insensitive statuses), added to the defaults; the cancelled statuses above mean
 *       cancelled too, and a status named nowhere is booked;</li>
 *   <li>{@code EASYAPPOINTMENTS_RATE_LIMIT} (default "100/120s", the software's default; "off" for instances
 *       that disabled it): the client paces itself to it, and waits that window after a bare 429.</li>
 * </ul>
 */
@Singleton
public class EasyAppointmentsSettings {

    /** EasyAppointments' own statuses (its migration 043); none of them says whether the customer came. */
    static final Map<String, Outcome> DEFAULT_OUTCOMES = Map.of("Booked", Outcome.BOOKED, "Confirmed", Outcome.BOOKED,
            "Rescheduled", Outcome.BOOKED, "Cancelled", Outcome.CANCELLED, "Draft", Outcome.BOOKED);

    private final int pageSize;
    private final int windowDays;
    private final Duration fullPassEvery;
    private final ZoneId timezone;
    private final Map<String, Outcome> statusOutcomes;
    private final VendorHttp.RateLimit rateLimit;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    public EasyAppointmentsSettings(@Value("${easyappointments.page-size:1000}") int pageSize,
                                    @Value("${easyappointments.window-days:30}") int windowDays,
                                    @Value("${easyappointments.full-pass-every:7d}") Duration fullPassEvery,
                                    @Value("${easyappointments.timezone:UTC}") String timezone,
                                    @Value("${easyappointments.cancelled-statuses:Cancelled,Canceled}") String cancelled,
                                    @Value("${easyappointments.status-outcomes:}") String statusOutcomes,
                                    @Value("${easyappointments.rate-limit:100/120s}") String rateLimit,
                                    @Value("${easyappointments.connect-timeout:10s}") Duration connectTimeout,
                                    @Value("${easyappointments.request-timeout:60s}") Duration requestTimeout) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("EASYAPPOINTMENTS_PAGE_SIZE must be at least 1");
        }
        this.pageSize = pageSize;
        this.windowDays = windowDays;
        this.fullPassEvery = fullPassEvery;
        this.timezone = ZoneId.of(timezone.strip());
        this.statusOutcomes = parseStatusOutcomes(cancelled, statusOutcomes);
        this.rateLimit = parseRateLimit(rateLimit);
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    static Map<String, Outcome> parseStatusOutcomes(String cancelled, String configured) {
        Map<String, Outcome> map = new HashMap<>();
        DEFAULT_OUTCOMES.forEach((status, outcome) -> map.put(status.toLowerCase(Locale.ROOT), outcome));
        Arrays.stream(cancelled.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .forEach(s -> map.put(s, Outcome.CANCELLED));
        for (String pair : configured.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.lastIndexOf('=');
            Outcome outcome = eq < 0 ? null : Outcome.fromId(pair.substring(eq + 1).strip().toLowerCase(Locale.ROOT))
                    .filter(Outcome::isStored).orElse(null);
            if (outcome == null || pair.substring(0, eq).isBlank()) {
                throw new IllegalArgumentException("EASYAPPOINTMENTS_STATUS_OUTCOMES: '" + pair.strip()
                        + "' is not status=outcome with outcome booked, cancelled, completed or no_show");
            }
            map.put(pair.substring(0, eq).strip().toLowerCase(Locale.ROOT), outcome);
        }
        return Map.copyOf(map);
    }

    static VendorHttp.RateLimit parseRateLimit(String value) {
        return VendorHttp.RateLimit.parse(value, "EASYAPPOINTMENTS_RATE_LIMIT");
    }

    /** The API base of an instance's URL, {@code .../index.php/api/v1}. */
    static URI apiBase(String url) {
        String base = url.strip().replaceAll("/+$", "");
        if (!base.endsWith("/api/v1")) {
            base = base + "/index.php/api/v1";
        }
        return URI.create(base + "/");
    }

    public int pageSize() {
        return pageSize;
    }

    public int windowDays() {
        return windowDays;
    }

    public Duration fullPassEvery() {
        return fullPassEvery;
    }

    public ZoneId timezone() {
        return timezone;
    }

    public boolean isCancelled(String status) {
        return outcomeOf(status) == Outcome.CANCELLED;
    }

    /** What a status text means; one the map does not name (or none, before EasyAppointments 1.5) is booked. */
    public Outcome outcomeOf(String status) {
        return status == null ? Outcome.BOOKED
                : statusOutcomes.getOrDefault(status.strip().toLowerCase(Locale.ROOT), Outcome.BOOKED);
    }

    /**
     * The settings {@link AppointmentMapper} reads, written out in a fixed order (the status map, sorted), for the
     * raw fingerprints: a changed status map maps every appointment again. The timezone is in the catalog's part.
     */
    String mappingSettings() {
        StringBuilder s = new StringBuilder("status-outcomes:");
        new java.util.TreeMap<>(statusOutcomes).forEach((status, outcome) -> s.append(status.length()).append(':')
                .append(status).append('=').append(outcome.id()).append(';'));
        return s.toString();
    }

    public VendorHttp.RateLimit rateLimit() {
        return rateLimit;
    }

    /** How a sync calls the instance; a verify uses the shorter timeouts of {@code CheckHttp} instead. */
    VendorHttp.Settings http() {
        return new VendorHttp.Settings(connectTimeout, requestTimeout, rateLimit);
    }
}
