package com.engarde.signupsync.manifest;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;

/**
 * The daily sync's settings, read by the functions (the status report, the in-process timer) and by the CDK app
 * (the schedule rule), and the one reading of an HH:MM time, which a manifest's schedule trigger uses too.
 */
public final class DailySchedule {

    /** HH:MM, UTC. */
    public static final String TIME_VARIABLE = "FUNNEL_SYNC_TIME";
    /** {@code false} turns the daily sync off. */
    public static final String ENABLED_VARIABLE = "FUNNEL_SYNC_ENABLED";
    public static final LocalTime DEFAULT_TIME = LocalTime.of(18, 30);

    private DailySchedule() {
    }

    /** {@code HH:MM} as a UTC time of day; anything else is refused with a sentence that says the format. */
    public static LocalTime parseTime(String what, String value) {
        String time = value == null ? "" : value.strip();
        if (time.matches("\\d{2}:\\d{2}")) {
            try {
                return LocalTime.parse(time);
            } catch (DateTimeParseException e) {
                // Out of range (25:00): refused below with the same sentence.
            }
        }
        throw new IllegalArgumentException(what + " must be HH:MM in UTC, such as 18:30");
    }
}
