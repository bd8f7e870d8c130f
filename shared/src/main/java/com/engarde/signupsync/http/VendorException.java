package com.engarde.signupsync.http;

/**
 * A vendor call that failed for good: its status (0 when no answer came) and the vendor's own message. The
 * message is shown in the run log, so it never carries a credential: no headers, no query strings.
 */
public class VendorException extends RuntimeException {

    private final String vendor;
    private final int status;
    private final String code;

    public VendorException(String vendor, int status, String message, Throwable cause) {
        this(vendor, status, null, message, cause);
    }

    /** @param code the vendor's own error code from the answer's body (Zoom's {@code 3001}), or null */
    public VendorException(String vendor, int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.vendor = vendor;
        this.status = status;
        this.code = code;
    }

    /** The vendor's own error code, where the vendor gives one and its {@link VendorHttp} reads it; else null. */
    public String code() {
        return code;
    }

    public String vendor() {
        return vendor;
    }

    /** The HTTP status, or 0 when the vendor could not be reached or did not answer in time. */
    public int status() {
        return status;
    }
}
