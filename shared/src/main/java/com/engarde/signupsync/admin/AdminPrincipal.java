package com.engarde.signupsync.admin;

import io.micronaut.core.annotation.Nullable;

/**
 * Who is calling an admin route, as their validated JWT says, and the request's id for the audit log. The
 * route filter puts it on the request under {@link #ATTRIBUTE}; controllers take it with
 * {@code @RequestAttribute(AdminPrincipal.ATTRIBUTE)}.
 */
public record AdminPrincipal(String subject, @Nullable String email, boolean emailVerified, boolean superuser,
                             @Nullable String requestId) {

    public static final String ATTRIBUTE = "signup-sync.admin";

    /** A caller whose email, if any, the issuer did not mark verified. */
    public AdminPrincipal(String subject, @Nullable String email, boolean superuser, @Nullable String requestId) {
        this(subject, email, false, superuser, requestId);
    }

    /** The email designation may trust: only one the issuer verified ({@code email_verified: true}). */
    public @Nullable String verifiedEmail() {
        return emailVerified ? email : null;
    }

    /** How the audit log and stored rows name this admin. */
    public String name() {
        return email == null ? subject : email;
    }
}
