package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.input.JsonFields;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

/** The body of an on-demand rollup: {@code {"date_from": "2026-03-01", "date_to": "2026-03-31"}}. */
@Singleton
public class UsageRollupRequests {

    public static final long MAX_BODY_BYTES = 4096;

    /** The range a rollup request names, read from a body by {@link JsonBodies#object} within {@link #MAX_BODY_BYTES}. */
    public UsageRange range(ObjectNode object) {
        String from = JsonFields.requiredText(object, "date_from", 10);
        String to = JsonFields.requiredText(object, "date_to", 10);
        UsageRange range = UsageRange.parse(from, to, null, null, UsageRollups.MAX_DAYS);
        // Checked here, in words, rather than failing on a date the database or Java's formatting cannot hold.
        supported("date_from", range.from());
        supported("date_to", range.to());
        return range;
    }

    private static void supported(String field, java.time.LocalDate day) {
        if (day.isBefore(UsageRange.EARLIEST) || day.isAfter(UsageRange.LATEST)) {
            throw new InvalidInput(field,
                    field + " must be a day from " + UsageRange.EARLIEST + " to " + UsageRange.LATEST);
        }
    }
}
