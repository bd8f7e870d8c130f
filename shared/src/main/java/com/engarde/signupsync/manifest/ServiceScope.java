package com.engarde.signupsync.manifest;

import java.util.Optional;

/**
 * What a service token may call. Each service-token route in a {@code function.json} names the one scope it needs
 * ({@code "scope": "usage:write"}); each scoped token names the scopes it holds. The single
 * SIGNUP_SYNC_SERVICE_TOKEN holds them all.
 *
 * <p>The CDK app reads it too, through {@link FunctionManifest}.
 */
public enum ServiceScope {
    /** POST /funnel/*: record funnel events and conversions; POST /invitations/redeem: redeem an invitation at signup. */
    FUNNEL_WRITE("funnel:write"),
    /** GET /analytics/*, GET /sync/status/*: read the funnel's figures and the syncs' state. */
    ANALYTICS_READ("analytics:read"),
    /** POST /sync/*: start syncs; GET /sync/poshvip/deliveries: read the raw Posh.VIP deliveries. */
    SYNC_RUN("sync:run"),
    /** POST /usage/metrics: ingest usage records on behalf of every tenant. */
    USAGE_WRITE("usage:write");

    private final String scopeName;

    ServiceScope(String scopeName) {
        this.scopeName = scopeName;
    }

    /** How a manifest and the scoped-token configuration spell it. */
    public String scopeName() {
        return scopeName;
    }

    public static Optional<ServiceScope> fromName(String name) {
        for (ServiceScope scope : values()) {
            if (scope.scopeName.equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /** Every scope's name, for messages that say what is allowed. */
    public static String names() {
        StringBuilder names = new StringBuilder();
        for (ServiceScope scope : values()) {
            names.append(names.isEmpty() ? "" : ", ").append(scope.scopeName);
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return scopeName;
    }
}
