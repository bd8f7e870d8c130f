package com.engarde.signupsync.http;

/** A URL the {@link VendorUrlPolicy} does not let a credential go to; the message names the host, never a path or query. */
public class VendorUrlRefused extends IllegalArgumentException {

    public VendorUrlRefused(String message) {
        super(message);
    }
}
