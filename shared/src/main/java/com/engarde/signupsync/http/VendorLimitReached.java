package com.engarde.signupsync.http;

import java.time.Instant;

/**
 * The vendor asks to wait longer than a sync waits (a daily quota: Retry-After at tomorrow's reset). Not an
 * error of the run: it ends as partial at its last checkpoint, and the next run after {@link #resumeAt()}
 * carries on from there.
 */
public class VendorLimitReached extends VendorException {

    private final Instant resumeAt;

    public VendorLimitReached(String vendor, int status, String message, Instant resumeAt) {
        super(vendor, status, message, null);
        this.resumeAt = resumeAt;
    }

    /** When the vendor said it will answer again. */
    public Instant resumeAt() {
        return resumeAt;
    }
}
