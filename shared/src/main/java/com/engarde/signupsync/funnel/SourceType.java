package com.engarde.signupsync.funnel;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where a funnel event came from. The same list is seeded into funnel_sources, which events reference. */
public enum SourceType {
    EASYAPPOINTMENTS, ZOOM, EVENTBRITE, POSHVIP, MANUAL, REFERRAL, DIRECT_SIGNUP;

    public static final String NAMES = Arrays.stream(values()).map(SourceType::id).collect(Collectors.joining(", "));

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<SourceType> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }
}
