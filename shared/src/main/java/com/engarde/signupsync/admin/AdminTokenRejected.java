package com.engarde.signupsync.admin;

/** An admin JWT that does not pass (missing, malformed, unsigned, badly signed, expired, for someone else). */
public class AdminTokenRejected extends RuntimeException {

    public AdminTokenRejected(String reason) {
        super(reason);
    }
}
