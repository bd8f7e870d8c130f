package com.engarde.signupsync.http;

/**
 * A vendor call that failed for good: its status (0 when no answer came) and the vendor's own message. The
 * message is shown in the run log, so it never carries a credential: no headers, no query strings.
 */
public class VendorException extends RuntimeException {

    private final String vendor;
    private final int status;

    public VendorException(String vendor, int status, String message, Throwable cause) {
        super(message, cause);
        this.vendor = vendor;
        this.status = status;
    }

    public String vendor() {
        return vendor;
    }

    /** The HTTP status, or 0 when the vendor could not be reached or did not answer in time. */
    public int status() {
        return status;
    }
}
