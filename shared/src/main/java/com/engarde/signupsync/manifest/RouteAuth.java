package com.engarde.signupsync.manifest;

import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a route's manifest says its callers must present. */
public enum RouteAuth {
    /** Open: health and service name only. */
    NONE("none"),
    /** {@code Authorization: Bearer <token>} holding the route's scope, checked by the route filter. */
    SERVICE_TOKEN("service-token"),
    /** A platform admin's JWT. */
    ADMIN_JWT("admin-jwt"),
    /** A vendor's shared secret or signature over the raw body, checked by the receiving service itself. */
    WEBHOOK_SIGNATURE("webhook-signature");

    private final String manifestName;

    RouteAuth(String manifestName) {
        this.manifestName = manifestName;
    }

    /** How a manifest spells it. */
    public String manifestName() {
        return manifestName;
    }

    public static Optional<RouteAuth> fromManifest(String value) {
        return Stream.of(values()).filter(auth -> auth.manifestName.equals(value)).findFirst();
    }

    /** Every name a manifest may use, for messages that say what is allowed. */
    public static String names() {
        return Stream.of(values()).map(RouteAuth::manifestName).collect(Collectors.joining(", "));
    }
}
