package com.engarde.signupsync.funnel;

import java.time.Duration;
import java.time.Instant;

/**
 * The one rule for when something in the funnel can have happened, whoever reports it (the API, a webhook,
 * a sync): not before 1970, and not more than a day ahead of now (clocks drift, time zones get mislabeled;
 * a year 9999 is a mistake). It also keeps every time within what PostgreSQL can store.
 */
public final class EventTimes {

    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Duration MAX_AHEAD = Duration.ofDays(1);

    private EventTimes() {
    }

    /** Why {@code field}'s {@code time} is refused, or null when it is accepted. */
    public static String problem(String field, Instant time, Instant now) {
        if (time.isBefore(EARLIEST) || time.isAfter(now.plus(MAX_AHEAD))) {
            return field + " must be between " + EARLIEST + " and not more than a day in the future";
        }
        return null;
    }
}
