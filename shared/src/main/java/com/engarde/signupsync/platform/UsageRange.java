package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.JsonFields;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** UTC days {@code from} to {@code to}, both included. */
public record UsageRange(LocalDate from, LocalDate to) {

    /** The first day usage is recorded or rolled up for: no record of En Garde's platform is older. */
    public static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
    public static final Instant EARLIEST_INSTANT = EARLIEST.atStartOfDay(ZoneOffset.UTC).toInstant();
    /**
     * The last day a rollup may be asked for: a rollup of day D also reads D + 8 days and the month after D's,
     * which must stay within four-digit years (what the database's date text and Java's agree on).
     */
    public static final LocalDate LATEST = LocalDate.of(9999, 11, 30);

    /** From request values {@code date_from} and {@code date_to}; a missing end gets its default. */
    public static UsageRange parse(String from, String to, LocalDate defaultFrom, LocalDate defaultTo, int maxDays) {
        LocalDate start = from == null || from.isBlank() ? defaultFrom : JsonFields.date("date_from", from);
        LocalDate end = to == null || to.isBlank() ? defaultTo : JsonFields.date("date_to", to);
        if (start.isAfter(end)) {
            throw new InvalidInput("date_from", "date_from must not be after date_to");
        }
        if (ChronoUnit.DAYS.between(start, end) >= maxDays) {
            throw new InvalidInput("date_to", "a range may span at most " + maxDays + " days");
        }
        return new UsageRange(start, end);
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }
}
