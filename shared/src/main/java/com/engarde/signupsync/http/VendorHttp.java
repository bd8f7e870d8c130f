package com.engarde.signupsync.http;

import com.engarde.signupsync.http.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way the service calls a vendor's HTTP API. Every vendor gets the same behaviour:
 * <ul>
 *   <li>connect and request timeouts;</li>
 *   <li>retries on 429, 5xx, connection errors and timeouts, per the {@link RetryPolicy}: Retry-After
 *       honoured (seconds, HTTP date or ISO timestamp), otherwise exponential backoff with jitter, and for a
 *       429 without Retry-After at least the vendor's documented rate-limit window;</li>
 *   <li>any other 4xx fails at once with the vendor's own message;</li>
 *   <li>optional pacing to the vendor's published rate limit, so that a long sync does not run into it;</li>
 *   <li>no wait or call that would outlast the invocation's {@link TimeBudget}.</li>
 * </ul>
 * Error messages name the method, status, path and vendor message, never headers or query strings.
 */
public final class VendorHttp {

    private static final Logger LOG = LoggerFactory.getLogger(VendorHttp.class);

    /** A vendor's published rate limit ({@code requests} per {@code window}); {@link #NONE} when it has none. */
    public record RateLimit(int requests, Duration window) {
        public static final RateLimit NONE = new RateLimit(0, Duration.ZERO);
    }

    /** An answer that is not an error: 2xx, or 404 where the caller asked for it. */
    public record Answer(int status, byte[] body) {
        public boolean found() {
            return status != 404;
        }
    }

    private final String vendor;
    private final Map<String, String> headers;
    private final Duration requestTimeout;
    private final RateLimit rateLimit;
    private final RetryPolicy policy;
    private final Clock clock;
    private final Function<Answer, String> errorMessage;
    private final HttpClient client;
    private final ArrayDeque<Long> recentRequests = new ArrayDeque<>();

    /**
     * @param headers      sent with every request (the credential among them; never logged)
     * @param errorMessage the vendor's message from an error answer's body
     */
    public VendorHttp(String vendor, Map<String, String> headers, Duration connectTimeout, Duration requestTimeout,
                      RateLimit rateLimit, RetryPolicy policy, Clock clock, Function<Answer, String> errorMessage) {
        this.vendor = vendor;
        this.headers = Map.copyOf(headers);
        this.requestTimeout = requestTimeout;
        this.rateLimit = rateLimit;
        this.policy = policy;
        this.clock = clock;
        this.errorMessage = errorMessage;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** GETs a resource; anything but a 2xx, after retries, throws {@link VendorException}. */
    public byte[] get(URI uri, TimeBudget budget) {
        return send(uri, budget, false).body();
    }

    /** GETs a resource that may be gone: a 404 is an answer (empty), not an error. */
    public Optional<byte[]> find(URI uri, TimeBudget budget) {
        Answer answer = send(uri, budget, true);
        return answer.found() ? Optional.of(answer.body()) : Optional.empty();
    }

    private Answer send(URI uri, TimeBudget budget, boolean notFoundIsAnswer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET()
                .header("Accept", "application/json");
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        String where = "GET " + uri.getPath();
        String last = null;
        int lastStatus = 0;
        Throwable lastCause = null;
        for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
            if (!budget.allows(clock.instant(), requestTimeout)) {
                throw new TimeBudgetExhausted("no time left for " + where + " within this invocation");
            }
            pace(budget);
            budget.requests().incrementAndGet();
            Duration wait;
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                Answer answer = new Answer(status, response.body());
                if (status / 100 == 2 || (status == 404 && notFoundIsAnswer)) {
                    return answer;
                }
                lastStatus = status;
                last = vendor + " answered " + status + " to " + where + message(answer);
                if (status != 429 && status / 100 != 5) {
                    throw new VendorException(vendor, status, last, null);
                }
                Optional<Duration> retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null),
                        clock.instant());
                if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.maxRetryAfter()) > 0) {
                    throw new VendorException(vendor, status, last + "; it asks to retry after "
                            + retryAfter.get().toSeconds() + " s, longer than a sync waits", null);
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
            if (!budget.allows(clock.instant(), wait.plus(requestTimeout))) {
                throw new TimeBudgetExhausted(last + "; the retry after " + wait.toMillis() + " ms would outlast this invocation");
            }
            LOG.warn("{}; retry {} of {} in {} ms", last, attempt, policy.attempts() - 1, wait.toMillis());
            policy.pause(wait);
        }
        throw new VendorException(vendor, lastStatus, last + " (gave up after " + policy.attempts() + " attempts)", lastCause);
    }

    /** Waits, when needed, so that no more than the vendor's limit of requests fall in any one window. */
    private void pace(TimeBudget budget) {
        if (rateLimit.requests() <= 0) {
            return;
        }
        long wait;
        synchronized (recentRequests) {
            long now = System.nanoTime();
            long window = rateLimit.window().toNanos();
            while (!recentRequests.isEmpty() && now - recentRequests.peekFirst() >= window) {
                recentRequests.pollFirst();
            }
            wait = recentRequests.size() < rateLimit.requests() ? 0 : window - (now - recentRequests.peekFirst());
            recentRequests.addLast(now + Math.max(0, wait));
        }
        if (wait > 0) {
            Duration pause = Duration.ofNanos(wait);
            if (!budget.allows(clock.instant(), pause.plus(requestTimeout))) {
                synchronized (recentRequests) {
                    recentRequests.pollLast();
                }
                throw new TimeBudgetExhausted(vendor + "'s rate limit (" + rateLimit.requests() + " requests per "
                        + rateLimit.window().toSeconds() + " s) leaves no room in this invocation");
            }
            LOG.info("pacing to {}'s rate limit: waiting {} ms", vendor, pause.toMillis());
            policy.pause(pause);
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

    private static String describe(IOException e) {
        String type = e instanceof java.net.http.HttpTimeoutException ? "timed out"
                : e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + " (" + e.getMessage() + ")";
    }

    /** The body as text, for vendors whose errors are plain text. */
    public static String text(Answer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }
}
