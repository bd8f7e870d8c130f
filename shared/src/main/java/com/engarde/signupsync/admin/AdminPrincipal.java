package com.engarde.signupsync.admin;

import io.micronaut.core.annotation.Nullable;

/**
 * Who is calling an admin route, as their validated JWT says, and the request's id for the audit log. The
 * route filter puts it on the request under {@link #ATTRIBUTE}; controllers take it with
 * {@code @RequestAttribute(AdminPrincipal.ATTRIBUTE)}.
 */
public record AdminPrincipal(String subject, @Nullable String email, boolean superuser, @Nullable String requestId) {

    public static final String ATTRIBUTE = "signup-sync.admin";

    /** How the audit log and stored rows name this admin. */
    public String name() {
        return email == null ? subject : email;
    }
}
