package com.engarde.signupsync.appointments;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What became of an appointment. EasyAppointments has no no-show status: {@code no_show} (and usually
 * {@code completed}) come from an admin's recording, and a past appointment with no outcome is
 * {@code unresolved}, never counted as attended.
 */
public enum Outcome {
    BOOKED, CANCELLED, COMPLETED, NO_SHOW, UNRESOLVED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Outcome> fromId(String id) {
        return Arrays.stream(values()).filter(o -> o.id().equals(id)).findFirst();
    }

    /** An outcome a status or an admin can give; {@code unresolved} is only ever derived. */
    public boolean isStored() {
        return this != UNRESOLVED;
    }
}
