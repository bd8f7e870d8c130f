package com.engarde.signupsync.http;

import java.net.http.HttpRequest;

/**
 * How a vendor call proves who it is. {@link #bearer} and {@link #header} are static credentials;
 * {@link OAuthClientCredentials} fetches and caches a token. A credential is only ever put on a request,
 * never into a message or a log line.
 */
public interface VendorAuth {

    /** Adds the credential to a request about to be sent within {@code budget}. */
    void apply(HttpRequest.Builder request, TimeBudget budget);

    /**
     * The vendor answered 401: true when a fresh credential may help (a cached token expired early), so the
     * request is sent once more; static credentials answer false and the 401 fails the call.
     */
    default boolean renewAfterUnauthorized() {
        return false;
    }

    /** {@code Authorization: Bearer <token>}. */
    static VendorAuth bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    /** A static credential in a header of the vendor's choosing ({@code X-API-Key: ...}). */
    static VendorAuth header(String name, String value) {
        return (request, budget) -> request.header(name, value);
    }

    /** No credential (the token endpoint of an OAuth flow authenticates in its own way). */
    VendorAuth NONE = (request, budget) -> { };
}
