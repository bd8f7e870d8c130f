package com.engarde.signupsync.http;

import com.engarde.signupsync.http.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way the service calls a vendor's HTTP API. Every vendor gets the same behaviour:
 * <ul>
 *   <li>connect and request timeouts, and a cap on the size of an answer (a vendor cannot fill the heap);</li>
 *   <li>GET, and POST with a JSON (or, for token endpoints, form) body; the credential from a pluggable
 *       {@link VendorAuth}: a static bearer token or API key, or OAuth2 client credentials, whose token is
 *       renewed once when the API answers 401;</li>
 *   <li>retries on 429, 5xx, connection errors and timeouts, per the {@link RetryPolicy}: Retry-After
 *       honoured (seconds, HTTP date or ISO timestamp), otherwise exponential backoff with jitter, and for a
 *       429 without Retry-After at least the vendor's documented rate-limit window;</li>
 *   <li>any other 4xx fails at once with the vendor's own message;</li>
 *   <li>redirects followed only within the same scheme, host and port (a credential never goes elsewhere),
 *       and base URLs only over https, except on a loopback address (local stubs);</li>
 *   <li>optional pacing to the vendor's published rate limit, so that a long sync does not run into it;</li>
 *   <li>no wait or call that would outlast the invocation's {@link TimeBudget}: a request's timeout is clipped
 *       to what the budget has left, and a request is not started when that could not cover the connect
 *       timeout; the budget also counts the requests sent.</li>
 * </ul>
 * Error messages name the method, status, path and vendor message, never headers or query strings.
 */
public final class VendorHttp {

    private static final Logger LOG = LoggerFactory.getLogger(VendorHttp.class);
    private static final int MAX_REDIRECTS = 5;

    /** A vendor's published rate limit ({@code requests} per {@code window}); {@link #NONE} when it has none. */
    public record RateLimit(int requests, Duration window) {
        public static final RateLimit NONE = new RateLimit(0, Duration.ZERO);
        private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("(\\d+)\\s*/\\s*(\\S+)");

        /** A setting such as {@code 100/120s} ({@code off} or empty: {@link #NONE}); {@code setting} names it in errors. */
        public static RateLimit parse(String value, String setting) {
            String v = value.strip();
            if (v.isEmpty() || v.equalsIgnoreCase("off")) {
                return NONE;
            }
            java.util.regex.Matcher m = FORM.matcher(v);
            IllegalArgumentException bad = new IllegalArgumentException(setting + " must look like 100/120s, or be off");
            if (!m.matches()) {
                throw bad;
            }
            Duration window = io.micronaut.core.convert.ConversionService.SHARED.convert(m.group(2), Duration.class)
                    .orElseThrow(() -> bad);
            return new RateLimit(Integer.parseInt(m.group(1)), window);
        }
    }

    /** How a vendor is called: timeouts, its rate limit, and the largest answer read ({@code maxResponseBytes}). */
    public record Settings(Duration connectTimeout, Duration requestTimeout, RateLimit rateLimit, long maxResponseBytes) {
        public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L * 1024 * 1024;

        public Settings(Duration connectTimeout, Duration requestTimeout, RateLimit rateLimit) {
            this(connectTimeout, requestTimeout, rateLimit, DEFAULT_MAX_RESPONSE_BYTES);
        }
    }

    /** An answer that is not an error: 2xx, or 404 where the caller asked for it. */
    public record Answer(int status, byte[] body) {
        public boolean found() {
            return status != 404;
        }
    }

    private record Body(String contentType, byte[] bytes) {
    }

    /**
     * What a vendor's error answers say beyond status and message: its own error code (Zoom's
     * {@code {"code":3001}}), and whether a 429 is a quota that resets later rather than a rate to slow down
     * to (Zoom's {@code X-RateLimit-Type: Daily-limit}, whose Retry-After is sometimes absent).
     */
    public interface ErrorReading {
        /** The vendor's error code in an error answer, or null. */
        String code(Answer answer);

        /** True for an error answer that a retry cannot change (Anthropic's spend limit, a 429): it fails at once. */
        default boolean refusesRetry(Answer answer) {
            return false;
        }

        /** For a 429: when the quota it reports resets, or empty when it is a rate limit to retry after. */
        Optional<java.time.Instant> quotaResetsAt(Answer answer, java.net.http.HttpHeaders headers, java.time.Instant now);

        /** The wait a vendor without Retry-After announces in its own header (Brevo's x-sib-ratelimit-reset), as Retry-After reads. */
        default Optional<String> retryAfter(java.net.http.HttpHeaders headers) {
            return Optional.empty();
        }

        /**
         * From any answer's headers: how long until the vendor takes a request again when it announces that none is
         * left in its window (Brevo's {@code x-sib-ratelimit-remaining: 0} with {@code x-sib-ratelimit-reset}), so
         * the next request waits for it rather than being refused; {@link Duration#ZERO} when requests remain, empty
         * when the answer says nothing of it.
         */
        default Optional<Duration> exhaustedFor(java.net.http.HttpHeaders headers) {
            return Optional.empty();
        }

        ErrorReading NONE = new ErrorReading() {
            public String code(Answer answer) {
                return null;
            }

            public Optional<java.time.Instant> quotaResetsAt(Answer answer, java.net.http.HttpHeaders headers,
                                                             java.time.Instant now) {
                return Optional.empty();
            }
        };
    }

    private final String vendor;
    private final VendorAuth auth;
    private final Settings settings;
    private final RateLimit rateLimit;
    private final RetryPolicy policy;
    private final Clock clock;
    private final Function<Answer, String> errorMessage;
    private final ErrorReading errors;
    private final HttpClient client;
    private final VendorUrlPolicy urlPolicy;
    /**
     * When each recent request counts for the limit (System.nanoTime()): when it was let go, then, once answered, when
     * its answer came, since the vendor counted it at some moment before that.
     */
    private final ArrayDeque<long[]> recentRequests = new ArrayDeque<>();
    /** System.nanoTime() before which no request goes out, as the vendor's last answer announced; 0 for none. */
    private long heldUntil;

    /** @param errorMessage the vendor's message from an error answer's body */
    public VendorHttp(String vendor, VendorAuth auth, Settings settings, RetryPolicy policy, Clock clock,
                      Function<Answer, String> errorMessage) {
        this(vendor, auth, settings, policy, clock, errorMessage, ErrorReading.NONE);
    }

    /** @param errors how the vendor's error answers carry its codes and quotas */
    public VendorHttp(String vendor, VendorAuth auth, Settings settings, RetryPolicy policy, Clock clock,
                      Function<Answer, String> errorMessage, ErrorReading errors) {
        this(vendor, auth, settings, policy, clock, errorMessage, errors, VendorUrlPolicy.standard());
    }

    /** @param urlPolicy where this client may connect, checked on the resolved address before every connection */
    public VendorHttp(String vendor, VendorAuth auth, Settings settings, RetryPolicy policy, Clock clock,
                      Function<Answer, String> errorMessage, ErrorReading errors, VendorUrlPolicy urlPolicy) {
        this.urlPolicy = urlPolicy;
        this.errors = errors;
        this.vendor = vendor;
        this.auth = auth;
        this.settings = settings;
        this.rateLimit = settings.rateLimit();
        this.policy = policy;
        this.clock = clock;
        this.errorMessage = errorMessage;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Refuses a configured vendor base URL that {@link VendorUrlPolicy#requireSafe} refuses (not https unless
     * loopback, or an address that is not public): a credential is never sent in clear or inside the network.
     */
    public static URI requireSafeBase(URI base) {
        return VendorUrlPolicy.standard().requireSafe(base);
    }

    public String vendor() {
        return vendor;
    }

    /** GETs a resource; anything but a 2xx, after retries, throws {@link VendorException}. */
    public byte[] get(URI uri, TimeBudget budget) {
        return send("GET", uri, null, budget, false).body();
    }

    /** GETs a resource that may be gone: a 404 is an answer (empty), not an error. */
    public Optional<byte[]> find(URI uri, TimeBudget budget) {
        Answer answer = send("GET", uri, null, budget, true);
        return answer.found() ? Optional.of(answer.body()) : Optional.empty();
    }

    /** DELETEs a resource: true when the vendor deleted it, false when it held none (404); anything else throws. */
    public boolean delete(URI uri, TimeBudget budget) {
        return send("DELETE", uri, null, budget, true).found();
    }

    /** POSTs a JSON body; answers the response body of a 2xx. */
    public byte[] post(URI uri, byte[] json, TimeBudget budget) {
        return send("POST", uri, new Body("application/json", json), budget, false).body();
    }

    /** POSTs a form ({@code application/x-www-form-urlencoded}), as token endpoints take it. */
    byte[] postForm(URI uri, String form, TimeBudget budget) {
        return send("POST", uri, new Body("application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8)),
                budget, false).body();
    }

    private HttpRequest request(String method, URI uri, Body body, TimeBudget budget, String where) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout(budget, where))
                .header("Accept", "application/json");
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", body.contentType()).method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        }
        auth.apply(builder, budget);
        return builder.build();
    }

    /**
     * The timeout of a request sent now: the vendor's request timeout clipped to what the budget has left, so a
     * budget shorter than the timeout (a verify's, a sync's last minute) still gets its call; refused only when
     * what is left is less than the least useful time.
     */
    private Duration timeout(TimeBudget budget, String where) {
        Duration timeout = budget.clip(clock.instant(), settings.requestTimeout());
        if (timeout.compareTo(leastUseful()) < 0) {
            throw new TimeBudgetExhausted(vendor + ": no time left for " + where + " within this invocation");
        }
        return timeout;
    }

    /** The least time worth starting a request in: with less it could not even be sure to connect. */
    private Duration leastUseful() {
        Duration connect = settings.connectTimeout();
        return connect.compareTo(settings.requestTimeout()) < 0 ? connect : settings.requestTimeout();
    }

    private Answer send(String method, URI uri, Body body, TimeBudget budget, boolean notFoundIsAnswer) {
        String where = method + " " + printable(uri.getPath());
        Duration leastUseful = leastUseful();
        String last = null;
        int lastStatus = 0;
        Throwable lastCause = null;
        boolean renewed = false;
        for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
            timeout(budget, where);
            Duration wait;
            try {
                Received response = exchange(method, uri, body, budget, where);
                int status = response.status();
                Answer answer = new Answer(status, response.body());
                if (status / 100 == 2 || (status == 404 && notFoundIsAnswer)) {
                    return answer;
                }
                lastStatus = status;
                last = vendor + " answered " + status + " to " + where + message(answer);
                if (status == 401 && !renewed && auth.renewAfterUnauthorized()) {
                    // A token the vendor stopped accepting early: once more with a fresh one, not as a retry.
                    renewed = true;
                    attempt--;
                    continue;
                }
                if ((status != 429 && status / 100 != 5) || errors.refusesRetry(answer)) {
                    throw new VendorException(vendor, status, errors.code(answer), last, null);
                }
                Optional<Duration> retryAfter = RetryAfter.parse(response.retryAfter(), clock.instant());
                if (status == 429 && retryAfter.isEmpty()) {
                    Optional<java.time.Instant> resets = errors.quotaResetsAt(answer, response.headers(), clock.instant());
                    if (resets.isPresent()) {
                        throw new VendorLimitReached(vendor, status, last + "; a quota that resets at " + resets.get(),
                                resets.get());
                    }
                }
                if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.maxRetryAfter()) > 0) {
                    throw new VendorLimitReached(vendor, status, last + "; it asks to retry after "
                            + retryAfter.get().toSeconds() + " s, longer than a sync waits",
                            clock.instant().plus(retryAfter.get()));
                }
                if (retryAfter.isPresent()) {
                    wait = retryAfter.get();
                } else {
                    wait = status == 429 ? policy.rateLimitBackoff(attempt, rateLimit.window()) : policy.backoff(attempt);
                }
            } catch (IOException e) {
                lastStatus = 0;
                lastCause = e;
                last = vendor + " did not answer " + where + ": " + describe(e);
                wait = policy.backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VendorException(vendor, 0, "interrupted during " + where, e);
            }
            if (attempt == policy.attempts()) {
                break;
            }
            if (!budget.allows(clock.instant(), wait.plus(leastUseful))) {
                throw new TimeBudgetExhausted(last + "; the retry after " + wait.toMillis() + " ms would outlast this invocation");
            }
            LOG.warn("{}; retry {} of {} in {} ms", last, attempt, policy.attempts() - 1, wait.toMillis());
            policy.pause(wait);
        }
        throw new VendorException(vendor, lastStatus, last + " (gave up after " + policy.attempts() + " attempts)", lastCause);
    }

    private record Received(int status, byte[] body, String retryAfter, java.net.http.HttpHeaders headers) {
    }

    /** One request, following redirects that stay on the same scheme, host and port; every hop is counted. */
    private Received exchange(String method, URI uri, Body body, TimeBudget budget, String where)
            throws IOException, InterruptedException {
        URI target = uri;
        for (int hop = 0; ; hop++) {
            try {
                urlPolicy.checkConnection(target);
            } catch (VendorUrlRefused e) {
                throw new VendorException(vendor, 0, vendor + " was not called for " + where + ": " + e.getMessage(), null);
            }
            long[] counted = pace(budget);
            budget.requests().incrementAndGet();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request(method, target, body, budget, where), HttpResponse.BodyHandlers.ofInputStream());
            } finally {
                answered(counted);
            }
            int status = response.statusCode();
            if (status / 100 == 3 && status != 304 && response.headers().firstValue("Location").isPresent()) {
                response.body().close();
                URI next = target.resolve(response.headers().firstValue("Location").get());
                if (!sameOrigin(uri, next)) {
                    throw new VendorException(vendor, status, vendor + " redirected " + where
                            + " to another host; not followed", null);
                }
                if (hop == MAX_REDIRECTS || (body != null && status != 307 && status != 308)) {
                    throw new VendorException(vendor, status, vendor + " answered " + status + " to " + where
                            + (body != null ? " (a redirect that would turn the POST into a GET)" : " (too many redirects)"), null);
                }
                target = next;
                continue;
            }
            errors.exhaustedFor(response.headers()).ifPresent(d -> hold(status, d));
            return new Received(status, read(response.body(), where),
                    response.headers().firstValue("Retry-After").or(() -> errors.retryAfter(response.headers())).orElse(null),
                    response.headers());
        }
    }

    /** A path as messages and logs name it: a segment holding an email (Brevo's contact look-up) is not personal data to print. */
    static String printable(String path) {
        return path == null ? "" : path.replaceAll("[^/]*@[^/]*", "{email}");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The body, up to the cap: a larger answer fails the call rather than the heap. */
    private byte[] read(InputStream in, String where) throws IOException {
        try (in) {
            long max = settings.maxResponseBytes();
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (bytes.length > max) {
                throw new VendorException(vendor, 200, vendor + "'s answer to " + where + " is larger than "
                        + max + " bytes; not read", null);
            }
            return bytes;
        }
    }

    /**
     * The vendor's last answer said how long until its window takes a request again ({@link Duration#ZERO}: requests
     * remain). A 429 is not held here: its retry waits what it announces.
     */
    private void hold(int status, Duration duration) {
        if (status == 429) {
            return;
        }
        synchronized (recentRequests) {
            heldUntil = duration.isZero() ? 0 : System.nanoTime() + duration.toNanos();
        }
    }

    /**
     * Waits, when needed, so that no more than the vendor's limit of requests fall in any one window, the window
     * counted from when the earlier requests were answered: a vendor that counts fixed windows from arrivals never
     * sees one request too many, however late a request reached it after it was let go. Answers the new request's
     * place in the count (null without a limit), for {@link #answered}.
     */
    private long[] pace(TimeBudget budget) {
        long wait;
        long[] counted = null;
        synchronized (recentRequests) {
            long now = System.nanoTime();
            long held = heldUntil == 0 ? 0 : Math.max(0, heldUntil - now);
            if (rateLimit.requests() <= 0) {
                wait = held;
            } else {
                long window = rateLimit.window().toNanos();
                while (!recentRequests.isEmpty() && now - recentRequests.peekFirst()[0] >= window) {
                    recentRequests.pollFirst();
                }
                wait = recentRequests.size() < rateLimit.requests() ? 0 : window - (now - recentRequests.peekFirst()[0]);
                wait = Math.max(wait, held);
                counted = new long[] {now + Math.max(0, wait)};
                recentRequests.addLast(counted);
            }
        }
        if (wait > 0) {
            Duration pause = Duration.ofNanos(wait);
            if (!budget.allows(clock.instant(), pause.plus(leastUseful()))) {
                synchronized (recentRequests) {
                    recentRequests.remove(counted);
                }
                throw new TimeBudgetExhausted(vendor + "'s rate limit leaves no room in this invocation");
            }
            LOG.info("pacing to {}'s rate limit: waiting {} ms", vendor, pause.toMillis());
            policy.pause(pause);
        }
        return counted;
    }

    /** The request is answered (or failed): it counts from now, if that is later than when it was let go. */
    private void answered(long[] counted) {
        if (counted == null) {
            return;
        }
        synchronized (recentRequests) {
            counted[0] = Math.max(counted[0], System.nanoTime());
        }
    }

    private String message(Answer answer) {
        String message = answer.body() == null || answer.body().length == 0 ? null : errorMessage.apply(answer);
        if (message == null || message.isBlank()) {
            return " (empty body)";
        }
        String oneLine = message.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine);
    }

    /** The network's failure in words; never a Java class name, and no message that may quote a URL. */
    private static String describe(IOException e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "the connection timed out";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.UnknownHostException || cause instanceof java.nio.channels.UnresolvedAddressException) {
                return "the host name does not resolve";
            }
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof javax.net.ssl.SSLException || e.getCause() instanceof javax.net.ssl.SSLException) {
            return "the TLS handshake failed";
        }
        return "a network error";
    }

    /** The first of {@code fields} in a JSON error body, else the body as text. */
    public static String jsonMessage(com.fasterxml.jackson.databind.ObjectMapper mapper, Answer answer, String... fields) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = mapper.readTree(answer.body());
            for (String field : fields) {
                if (node != null && node.hasNonNull(field)) {
                    return node.get(field).asText();
                }
            }
        } catch (IOException notJson) {
            // plain text
        }
        return text(answer);
    }

    /** A field of a JSON error body (a vendor's own error code), or null when absent or the body is not JSON. */
    public static String jsonField(com.fasterxml.jackson.databind.ObjectMapper mapper, Answer answer, String field) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = mapper.readTree(answer.body());
            return node != null && node.hasNonNull(field) ? node.get(field).asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** A vendor's answer to {@code what} as a JSON object; anything else fails the call, saying so. */
    public static com.fasterxml.jackson.databind.JsonNode jsonObject(com.fasterxml.jackson.databind.ObjectMapper mapper,
                                                                      String vendor, byte[] body, String what) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw new VendorException(vendor, 200, vendor + " answered " + what + " with JSON that is not an object", null);
            }
            return node;
        } catch (IOException e) {
            throw new VendorException(vendor, 200, vendor + " answered " + what + " with a body that is not JSON", e);
        }
    }

    /** The body as text, for vendors whose errors are plain text. */
    public static String text(Answer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }
}
