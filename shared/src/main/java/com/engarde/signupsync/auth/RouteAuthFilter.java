package com.engarde.signupsync.auth;

import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.api.QueryParameters;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Enforces, before any controller runs, the auth that each route's manifest declares. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RouteAuthFilter implements Ordered {

    private final FunctionManifests manifests;
    private final ServiceTokens tokens;

    public RouteAuthFilter(FunctionManifests manifests, ServiceTokens tokens) {
        this.manifests = manifests;
        this.tokens = tokens;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<ApiError> authenticate(HttpRequest<?> request) {
        // Before auth: a query string nothing can read is the caller's mistake to fix (400), not a missing
        // token (401), and no controller should see it half-decoded.
        if (!QueryParameters.readable(request.getUri().getRawQuery())) {
            return HttpResponse.<ApiError>badRequest(ApiError.of("invalid_request",
                    "the query string is not valid percent-encoded UTF-8"));
        }
        RouteAuth auth = manifests.authFor(request.getMethodName(), request.getPath());
        return switch (auth) {
            case NONE, WEBHOOK_SIGNATURE -> null;
            case SERVICE_TOKEN -> tokens.accepts(request.getHeaders().get(HttpHeaders.AUTHORIZATION)) ? null
                    : unauthorized("a valid service token is required: Authorization: Bearer <token>");
            case ADMIN_JWT -> unauthorized("an admin token is required");
        };
    }

    private static HttpResponse<ApiError> unauthorized(String message) {
        return HttpResponse.<ApiError>status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(ApiError.of("unauthorized", message));
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
