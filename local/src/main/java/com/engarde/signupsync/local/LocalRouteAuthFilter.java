package com.engarde.signupsync.local;

import com.engarde.signupsync.admin.AdminAccess;
import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.auth.LocalOnlyRoutes;
import com.engarde.signupsync.api.RouteAuthFilter;
import com.engarde.signupsync.auth.ServiceTokens;
import com.engarde.signupsync.crypto.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Base64;
import java.util.List;

/**
 * The route auth of the local run: the same checks, and when a refused token is one an earlier local run handed
 * out (its admin token, signed with a secret that run alone had, or the service token it wrote to its env file),
 * the 401 says so and where this run's tokens are, instead of only that the token is not valid.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Replaces(RouteAuthFilter.class)
@Requires(property = LocalRouteAuthFilter.ENV_FILE_PROPERTY)
class LocalRouteAuthFilter extends RouteAuthFilter {

    static final String ENV_FILE_PROPERTY = "signup.sync.local-run.env-file";
    static final String EARLIER_TOKEN_PROPERTY = "signup.sync.local-run.earlier-token";
    /** The subject of the development admin token every local run signs. */
    static final String LOCAL_ADMIN = "local-admin";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String envFile;
    /** The earlier run's service token as its SHA-256, so that it is compared as every token is. */
    private final byte[] earlierToken;

    LocalRouteAuthFilter(FunctionManifests manifests, ServiceTokens tokens, AdminAccess admins,
                         List<LocalOnlyRoutes> localOnly, @Value("${" + ENV_FILE_PROPERTY + "}") String envFile,
                         @Nullable @Value("${" + EARLIER_TOKEN_PROPERTY + ":}") String earlierToken) {
        super(manifests, tokens, admins, localOnly);
        this.envFile = envFile;
        this.earlierToken = earlierToken == null || earlierToken.isBlank() ? null : Sha256.digest(earlierToken);
    }

    @Override
    @RequestFilter
    @Nullable
    public HttpResponse<ApiError> authenticate(HttpRequest<?> request) {
        HttpResponse<ApiError> answer = super.authenticate(request);
        if (answer == null || answer.getStatus() != HttpStatus.UNAUTHORIZED) {
            return answer;
        }
        String bearer = bearer(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        String hint = bearer == null ? null
                : signedByEarlierRun(bearer) ? "this admin token was signed by an earlier local run (each run signs"
                        + " its tokens with a secret of its own): take ADMIN_TOKEN from " + envFile
                : issuedByEarlierRun(bearer) ? "this service token belongs to an earlier local run (each run generates"
                        + " its own unless SIGNUP_SYNC_SERVICE_TOKEN is set): take TOKEN from " + envFile
                : null;
        if (hint != null && answer instanceof MutableHttpResponse<ApiError> mutable) {
            return mutable.body(new ApiError("unauthorized", hint, null));
        }
        return answer;
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() || token.length() > 8192 ? null : token;
    }

    /**
     * A development admin JWT, unexpired, that this run refused: this run's own would have passed, so another
     * (earlier) run signed it.
     */
    private boolean signedByEarlierRun(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long now = System.currentTimeMillis() / 1000;
            return LOCAL_ADMIN.equals(claims.path("sub").asText()) && claims.path("exp").asLong(0) > now;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private boolean issuedByEarlierRun(String token) {
        return Sha256.same(earlierToken, Sha256.digest(token));
    }
}
