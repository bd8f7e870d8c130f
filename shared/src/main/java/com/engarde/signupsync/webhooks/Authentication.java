package com.engarde.signupsync.webhooks;

/** The verdict on a delivery's credentials: accepted by one scheme, or rejected for one reason. */
public sealed interface Authentication {

    record Accepted(AuthScheme scheme) implements Authentication {
    }

    record Rejected(Rejection reason) implements Authentication {
    }
}
