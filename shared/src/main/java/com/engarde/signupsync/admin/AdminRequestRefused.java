package com.engarde.signupsync.admin;

/**
 * An admin request the admin services refuse, with why in domain terms; the API layer answers it (400, 404 or
 * 409 with the field). Messages name fields and sources, never a value an admin sent.
 */
public class AdminRequestRefused extends RuntimeException {

    /**
     * Why: the input is malformed, what it names does not exist, the current state does not allow it, or the
     * caller may use the route but not make this change.
     */
    public enum Reason { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN }

    private final Reason reason;
    private final String field;

    public AdminRequestRefused(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    static AdminRequestRefused invalid(String field, String message) {
        return new AdminRequestRefused(Reason.INVALID, field, message);
    }

    static AdminRequestRefused notFound(String field, String message) {
        return new AdminRequestRefused(Reason.NOT_FOUND, field, message);
    }

    static AdminRequestRefused conflict(String field, String message) {
        return new AdminRequestRefused(Reason.CONFLICT, field, message);
    }

    static AdminRequestRefused forbidden(String field, String message) {
        return new AdminRequestRefused(Reason.FORBIDDEN, field, message);
    }

    public Reason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
