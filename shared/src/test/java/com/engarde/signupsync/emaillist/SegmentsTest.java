package com.engarde.signupsync.emaillist;

import com.engarde.signupsync.emaillist.Segments.Segment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Every boundary of the segments: 1, 2, 4 and 5 bookings; 30 and 90 days. */
class SegmentsTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");

    @Test
    void bookingsGiveOneSegmentEachAtTheirBoundaries() {
        assertThat(Segments.byBookings(0)).isEmpty();
        assertThat(Segments.byBookings(1)).contains(Segment.NEW_CUSTOMER);
        assertThat(Segments.byBookings(2)).contains(Segment.RETURNING_CUSTOMER);
        assertThat(Segments.byBookings(4)).contains(Segment.RETURNING_CUSTOMER);
        assertThat(Segments.byBookings(5)).contains(Segment.LOYAL_CUSTOMER);
        assertThat(Segments.byBookings(500)).contains(Segment.LOYAL_CUSTOMER);
    }

    @Test
    void recencyIsRecentUpTo30DaysAndInactiveAfter90() {
        assertThat(Segments.byRecency(null, NOW)).isEmpty();
        assertThat(Segments.byRecency(NOW.plus(Duration.ofDays(3)), NOW)).as("upcoming").contains(Segment.RECENT_CUSTOMER);
        assertThat(Segments.byRecency(NOW.minus(Duration.ofDays(30)), NOW)).contains(Segment.RECENT_CUSTOMER);
        assertThat(Segments.byRecency(NOW.minus(Duration.ofDays(30)).minusSeconds(1), NOW)).isEmpty();
        assertThat(Segments.byRecency(NOW.minus(Duration.ofDays(90)), NOW)).isEmpty();
        assertThat(Segments.byRecency(NOW.minus(Duration.ofDays(90)).minusSeconds(1), NOW)).contains(Segment.INACTIVE_CUSTOMER);
    }

    @Test
    void valuesAreTheCategoryAttributesWords() {
        assertThat(Segment.LOYAL_CUSTOMER.value()).isEqualTo("loyal_customer");
        assertThat(Segments.byRecency(NOW.minus(Duration.ofDays(400)), NOW).map(Segment::value)).isEqualTo(Optional.of("inactive_customer"));
    }
}
