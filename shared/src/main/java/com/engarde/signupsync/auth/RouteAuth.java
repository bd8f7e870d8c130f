package com.engarde.signupsync.auth;

import java.util.Locale;

/** What a route's manifest says its callers must present. */
public enum RouteAuth {
    /** Open: health and service name only. */
    NONE,
    /** {@code Authorization: Bearer <SIGNUP_SYNC_SERVICE_TOKEN>}, checked by the route filter. */
    SERVICE_TOKEN,
    /** A platform admin's JWT. */
    ADMIN_JWT,
    /** A vendor's shared secret or signature over the raw body, checked by the receiving service itself. */
    WEBHOOK_SIGNATURE;

    public static RouteAuth fromManifest(String value) {
        return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "service-token" -> SERVICE_TOKEN;
            case "admin-jwt" -> ADMIN_JWT;
            case "webhook-signature" -> WEBHOOK_SIGNATURE;
            default -> throw new IllegalArgumentException("unknown auth '" + value
                    + "' in function.json; use none, service-token, admin-jwt or webhook-signature");
        };
    }
}
