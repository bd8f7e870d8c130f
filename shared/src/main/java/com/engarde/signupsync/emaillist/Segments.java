package com.engarde.signupsync.emaillist;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The master email list's segments, as two Brevo category attributes of one value each, so that every contact is
 * in exactly one segment of each kind that applies and a Brevo filter can combine them:
 * <ul>
 *   <li>{@code SEGMENT}, by bookings that were not cancelled: {@code new_customer} (1), {@code returning_customer}
 *       (2 to 4), {@code loyal_customer} (5 or more); none for a lead without a booking;</li>
 *   <li>{@code RECENCY}, by the last such booking's start: {@code recent_customer} when it is at most 30 days
 *       before now (or later, an upcoming appointment), {@code inactive_customer} when it is more than 90 days
 *       before now; none between the two, and none without a booking.</li>
 * </ul>
 */
public final class Segments {

    public static final Duration RECENT = Duration.ofDays(30);
    public static final Duration INACTIVE = Duration.ofDays(90);

    private Segments() {
    }

    /** A segment's value as the category attribute holds it. */
    public enum Segment {
        NEW_CUSTOMER, RETURNING_CUSTOMER, LOYAL_CUSTOMER, RECENT_CUSTOMER, INACTIVE_CUSTOMER;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The segment by how many bookings; empty for none. */
    public static Optional<Segment> byBookings(int bookings) {
        if (bookings <= 0) {
            return Optional.empty();
        }
        return Optional.of(bookings == 1 ? Segment.NEW_CUSTOMER : bookings <= 4 ? Segment.RETURNING_CUSTOMER
                : Segment.LOYAL_CUSTOMER);
    }

    /** The segment by the last booking's start as of {@code now}; empty between 30 and 90 days, or without a booking. */
    public static Optional<Segment> byRecency(@Nullable Instant lastBooking, Instant now) {
        if (lastBooking == null) {
            return Optional.empty();
        }
        Duration age = Duration.between(lastBooking, now);
        if (age.compareTo(RECENT) <= 0) {
            return Optional.of(Segment.RECENT_CUSTOMER);
        }
        return age.compareTo(INACTIVE) > 0 ? Optional.of(Segment.INACTIVE_CUSTOMER) : Optional.empty();
    }
}
