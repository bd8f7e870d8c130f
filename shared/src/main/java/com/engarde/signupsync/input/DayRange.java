package com.engarde.signupsync.input;

import com.engarde.signupsync.failure.InvalidInput;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * A body's {@code date_from} and {@code date_to}: UTC days, both included; {@code date_to} defaults to today and
 * {@code date_from} to 29 days before it (the last 30 days), and the range holds fewer than {@link #MAX_DAYS} days.
 */
public record DayRange(LocalDate from, LocalDate to) {

    public static final int MAX_DAYS = 800;

    public static DayRange of(ObjectNode body, LocalDate today) {
        String toText = JsonFields.text(body, "date_to", 10);
        String fromText = JsonFields.text(body, "date_from", 10);
        LocalDate to = toText == null ? today : JsonFields.date("date_to", toText);
        LocalDate from = fromText == null ? to.minusDays(29) : JsonFields.date("date_from", fromText);
        if (to.isBefore(from)) {
            throw new InvalidInput("date_to", "date_to must not be before date_from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new InvalidInput("date_to", "date_to must be less than " + MAX_DAYS + " days after date_from");
        }
        return new DayRange(from, to);
    }
}
