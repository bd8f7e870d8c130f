package com.engarde.signupsync.admin;

import jakarta.inject.Singleton;

/**
 * Who may pass an admin route: a valid admin JWT ({@link AdminTokens}) whose holder is a superuser
 * ({@code is_superuser: true}) or, where the route does not need a superuser, a designated platform admin.
 */
@Singleton
public class AdminAccess {

    private final AdminTokens tokens;
    private final PlatformAdmins admins;

    public AdminAccess(AdminTokens tokens, PlatformAdmins admins) {
        this.tokens = tokens;
        this.admins = admins;
    }

    /**
     * The caller, allowed in; {@link AdminTokenRejected} (unauthenticated) for a missing or bad token and
     * {@link AdminForbidden} (forbidden) for a valid one whose holder may not use the route.
     */
    public AdminPrincipal authorize(String authorizationHeader, boolean superuserOnly, String requestId) {
        AdminPrincipal principal = tokens.verify(authorizationHeader, requestId);
        if (principal.superuser()) {
            return principal;
        }
        if (superuserOnly) {
            throw new AdminForbidden("this route is for superusers only");
        }
        if (!admins.designated(principal.subject(), principal.verifiedEmail())) {
            throw new AdminForbidden("this token's holder is not a platform admin");
        }
        return principal;
    }
}
