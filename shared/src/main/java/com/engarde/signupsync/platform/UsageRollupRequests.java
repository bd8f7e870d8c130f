package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.input.JsonFields;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

/** The body of an on-demand rollup: {@code {"date_from": "2026-03-01", "date_to": "2026-03-31"}}. */
@Singleton
public class UsageRollupRequests {

    private static final long MAX_BODY_BYTES = 4096;

    private final JsonBodies bodies;

    public UsageRollupRequests(JsonBodies bodies) {
        this.bodies = bodies;
    }

    public UsageRange range(byte[] body) {
        ObjectNode object = bodies.object(body, MAX_BODY_BYTES);
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
