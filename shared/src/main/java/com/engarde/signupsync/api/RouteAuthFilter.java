package com.engarde.signupsync.api;

import com.engarde.signupsync.admin.AdminAccess;
import com.engarde.signupsync.admin.AdminForbidden;
import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AdminTokenRejected;
import com.engarde.signupsync.auth.LocalOnlyRoutes;
import com.engarde.signupsync.auth.ServiceTokens;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.input.QueryValues;
import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.manifest.RouteAuth;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.servlet.http.ServletHttpRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/** Enforces, before any controller runs, the auth that each route's manifest declares. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RouteAuthFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(RouteAuthFilter.class);
    /** The request's id once {@link AccessLog} has taken it, so the audit log and the log lines agree. */
    static final String REQUEST_ID = RouteAuthFilter.class.getName() + ".requestId";

    private final FunctionManifests manifests;
    private final ServiceTokens tokens;
    private final AdminAccess admins;
    private final List<LocalOnlyRoutes> localOnly;

    public RouteAuthFilter(FunctionManifests manifests, ServiceTokens tokens, AdminAccess admins,
                           List<LocalOnlyRoutes> localOnly) {
        this.manifests = manifests;
        this.tokens = tokens;
        this.admins = admins;
        this.localOnly = List.copyOf(localOnly);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<ApiError> authenticate(HttpRequest<?> request) {
        // Before auth: a query string nothing can read is the caller's mistake to fix (400), not a missing
        // token (401), and no controller should see it half-decoded.
        if (!QueryValues.readable(request.getUri().getRawQuery())) {
            return HttpResponse.<ApiError>badRequest(ApiError.of("invalid_request",
                    "the query string is not valid percent-encoded UTF-8"));
        }
        FunctionManifest.Route route = manifests.routeFor(request.getMethodName(), request.getPath()).orElse(null);
        RouteAuth auth = route != null ? route.auth() : localOnly(request) ? RouteAuth.NONE : RouteAuth.SERVICE_TOKEN;
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (route == null && auth == RouteAuth.SERVICE_TOKEN && tokens.identify(authorization).isEmpty()
                && admitted(authorization, request)) {
            return unmatched(request);
        }
        return switch (auth) {
            case NONE, WEBHOOK_SIGNATURE -> null;
            case SERVICE_TOKEN -> serviceToken(authorization, route);
            case ADMIN_JWT -> admin(request, authorization, route.superuserOnly());
        };
    }

    /**
     * A known token holding the route's scope passes; a known token without it is 403. A path no manifest declares
     * needs every scope, so a route someone forgot to declare is closed to scoped tokens too.
     */
    private HttpResponse<ApiError> serviceToken(String authorization, FunctionManifest.Route route) {
        ServiceTokens.Caller caller = tokens.identify(authorization).orElse(null);
        if (caller == null) {
            return unauthorized("a valid service token is required: Authorization: Bearer <token>");
        }
        if (route == null ? caller.holdsEveryScope() : caller.holds(route.scope())) {
            return null;
        }
        String what = route == null ? "a path no manifest declares" : route.method() + " " + route.path();
        String needed = route == null ? "every scope" : "the scope " + route.scope().scopeName();
        // The configured name and the route's template only: both are safe to log, the raw path may not be.
        LOG.info("service token '{}' refused on {}: it does not hold {}", caller.name(), what, needed);
        return HttpResponse.<ApiError>status(HttpStatus.FORBIDDEN)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\""
                        + (route == null ? "" : ", scope=\"" + route.scope().scopeName() + "\""))
                .body(ApiError.of("forbidden", "this service token does not hold " + needed + ", which " + what + " needs"));
    }

    /** True when {@code authorization} is a valid admin's token: such a caller hears 404 or 405 for a route no manifest declares. */
    private boolean admitted(String authorization, HttpRequest<?> request) {
        try {
            admins.authorize(authorization, false, requestId(request));
            return true;
        } catch (AdminTokenRejected | AdminForbidden e) {
            return false;
        }
    }

    /** 405 with the methods the path has when a manifest declares it under another method, else 404, as for a service token. */
    private HttpResponse<ApiError> unmatched(HttpRequest<?> request) {
        List<String> allowed = manifests.routes().stream()
                .filter(r -> r.matches(r.method(), request.getPath())).map(FunctionManifest.Route::method).distinct().toList();
        if (allowed.isEmpty()) {
            return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND).body(ApiError.of("not_found", "no route answers this path"));
        }
        return HttpResponse.<ApiError>status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, String.join(", ", allowed))
                .body(ApiError.of("method_not_allowed", "this path answers " + String.join(", ", allowed)));
    }

    private boolean localOnly(HttpRequest<?> request) {
        return localOnly.stream().anyMatch(routes -> routes.opens(request.getMethodName(), request.getPath()));
    }

    private static HttpResponse<ApiError> unauthorized(String message) {
        return HttpResponse.<ApiError>status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(ApiError.of("unauthorized", message));
    }

    private HttpResponse<ApiError> admin(HttpRequest<?> request, String authorization, boolean superuserOnly) {
        try {
            request.setAttribute(AdminPrincipal.ATTRIBUTE, admins.authorize(authorization, superuserOnly, requestId(request)));
            return null;
        } catch (AdminTokenRejected e) {
            return HttpResponse.<ApiError>status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                    .body(ApiError.of("unauthorized", e.getMessage()));
        } catch (AdminForbidden e) {
            return HttpResponse.<ApiError>status(HttpStatus.FORBIDDEN).body(ApiError.of("forbidden", e.getMessage()));
        }
    }

    /** API Gateway's request id in AWS (what its access logs show), else the caller's X-Request-Id, else a new one. */
    static String requestId(HttpRequest<?> request) {
        String known = request.getAttribute(REQUEST_ID, String.class).orElse(null);
        if (known != null) {
            return known;
        }
        if (request instanceof ServletHttpRequest<?, ?> servlet
                && servlet.getNativeRequest() instanceof APIGatewayProxyRequestEvent event
                && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        String header = request.getHeaders().get("X-Request-Id");
        return header != null && !header.isBlank() && header.length() <= 200 ? header : UUID.randomUUID().toString();
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 1;
    }
}
