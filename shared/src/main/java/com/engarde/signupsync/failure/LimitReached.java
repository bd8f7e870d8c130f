package com.engarde.signupsync.failure;

/** The input is larger than a limit allows (a body over its size limit): the caller must send less. */
public non-sealed class LimitReached extends DomainFailure {

    private LimitReached(String code, String field, String message) {
        super(code, field, message);
    }

    /** A body larger than {@code limitBytes}. */
    public static LimitReached bodyLargerThan(long limitBytes) {
        return new LimitReached("payload_too_large", null, "request body is larger than " + limitBytes + " bytes");
    }
}
