package com.engarde.signupsync.platform;

import com.engarde.signupsync.api.ApiException;
import com.engarde.signupsync.api.JsonFields;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** UTC days {@code from} to {@code to}, both included. */
public record UsageRange(LocalDate from, LocalDate to) {

    /** From request values {@code date_from} and {@code date_to}; a missing end gets its default. */
    public static UsageRange parse(String from, String to, LocalDate defaultFrom, LocalDate defaultTo, int maxDays) {
        LocalDate start = from == null || from.isBlank() ? defaultFrom : JsonFields.date("date_from", from);
        LocalDate end = to == null || to.isBlank() ? defaultTo : JsonFields.date("date_to", to);
        if (start.isAfter(end)) {
            throw ApiException.invalid("date_from", "date_from must not be after date_to");
        }
        if (ChronoUnit.DAYS.between(start, end) >= maxDays) {
            throw ApiException.invalid("date_to", "a range may span at most " + maxDays + " days");
        }
        return new UsageRange(start, end);
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }
}
