package com.engarde.signupsync.api;

import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.observability.LogContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One access line per request (route template, status, latency_ms), and the invocation's fields on every line
 * logged while the request is served: function, cold start, request id and correlation id (the caller's
 * {@value #CORRELATION_HEADER}, else the request id). Runs before every other filter, so refusals are logged too.
 * The route is the manifest's template, never the path: a path can hold an id or an email.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class AccessLog implements Ordered {

    public static final String CORRELATION_HEADER = "X-Correlation-Id";

    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final String STARTED = AccessLog.class.getName() + ".started";
    private static final String SCOPE = AccessLog.class.getName() + ".scope";
    private static final String ROUTE = AccessLog.class.getName() + ".route";

    private final FunctionManifests manifests;

    public AccessLog(FunctionManifests manifests) {
        this.manifests = manifests;
    }

    @RequestFilter
    public void begin(HttpRequest<?> request) {
        FunctionManifest.Route route = manifests.routeFor(request.getMethodName(), request.getPath()).orElse(null);
        String template = route != null ? route.path() : "unmatched";
        String requestId = RouteAuthFilter.requestId(request);
        request.setAttribute(RouteAuthFilter.REQUEST_ID, requestId);
        request.setAttribute(STARTED, System.nanoTime());
        request.setAttribute(ROUTE, request.getMethodName() + " " + template);
        request.setAttribute(SCOPE, LogContext.begin(route != null ? route.function() : null, requestId,
                request.getHeaders().get(CORRELATION_HEADER)).with(LogContext.ROUTE, request.getMethodName() + " " + template));
    }

    @ResponseFilter
    public void end(HttpRequest<?> request, MutableHttpResponse<?> response) {
        long started = request.getAttribute(STARTED, Long.class).orElse(System.nanoTime());
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        LogContext.Scope scope = request.getAttribute(SCOPE, LogContext.Scope.class).orElse(null);
        if (scope == null) {
            return;
        }
        try (LogContext.Scope here = scope.reenter()) {
            LOG.info("{} answered {} in {} ms", request.getAttribute(ROUTE, String.class).orElse("?"), response.code(), latencyMs,
                    kv("status", response.code()), kv("latency_ms", latencyMs));
        } finally {
            scope.close();
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
