package com.engarde.signupsync.appointments;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One synced appointment as the admin views need it: times as instants (the vendor's naive times read in
 * {@code timezone}), the status as the vendor says it and the outcome the configured map gives it, the
 * service with its price, currency and duration, the provider and the customer.
 */
public record Appointment(long id, Instant bookedAt, Instant startAt, Instant endAt, String timezone,
                          String status, Outcome statusOutcome, Service service, Long providerId,
                          Customer customer) {

    public Appointment {
        if (!statusOutcome.isStored()) {
            throw new IllegalArgumentException("a status maps to a stored outcome, not " + statusOutcome.id());
        }
    }

    /** The service as it was read at the sync; every field may be absent. */
    public record Service(Long id, String name, BigDecimal price, String currency, Integer durationMinutes) {
        public static final Service NONE = new Service(null, null, null, null, null);
    }

    public record Customer(long id, String email, String firstName, String lastName, String phone) {
    }
}
