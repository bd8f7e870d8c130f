package com.engarde.signupsync.funnel;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The funnel's steps. The database checks the same list. */
public enum EventType {
    LEAD_CAPTURED, APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_COMPLETED, EVENT_REGISTERED,
    EVENT_ATTENDED, TICKET_PURCHASED, TICKET_REFUNDED, SIGNUP_STARTED, SIGNUP_COMPLETED, CONVERTED;

    public static final String NAMES = Arrays.stream(values()).map(EventType::id).collect(Collectors.joining(", "));

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<EventType> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }
}
