package com.engarde.signupsync.admin;

import com.engarde.signupsync.failure.Unauthenticated;

/** An admin JWT that does not pass (missing, malformed, unsigned, badly signed, expired, for someone else). */
public class AdminTokenRejected extends Unauthenticated {

    public AdminTokenRejected(String reason) {
        super(null, reason);
    }
}
