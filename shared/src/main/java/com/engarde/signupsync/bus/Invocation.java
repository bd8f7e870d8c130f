package com.engarde.signupsync.bus;

import com.engarde.signupsync.http.TimeBudget;

/**
 * The invocation carrying out a bus event: its Lambda request id (null in-process), which stays the same when
 * Lambda retries the request after the invocation died, and its time budget.
 */
public record Invocation(String requestId, TimeBudget budget) {

    public static Invocation inProcess(TimeBudget budget) {
        return new Invocation(null, budget);
    }
}
