package com.engarde.signupsync.http;

/** Thrown when the next step (a page, a retry's wait) would not end before the invocation's time budget does. */
public class TimeBudgetExhausted extends RuntimeException {

    public TimeBudgetExhausted(String message) {
        super(message);
    }
}
