package com.engarde.signupsync.funnel;

import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a funnel event came from: a declared pull source or webhook receiver (its {@link Integration} type), or
 * one of the kinds the En Garde backend posts itself. funnel_sources holds the same list (the integrations'
 * rows are written from their declarations), and events reference it.
 */
public final class SourceType {

    public static final SourceType MANUAL = new SourceType("manual");
    public static final SourceType REFERRAL = new SourceType("referral");
    public static final SourceType DIRECT_SIGNUP = new SourceType("direct_signup");
    private static final List<SourceType> BACKEND = List.of(MANUAL, REFERRAL, DIRECT_SIGNUP);

    private final String id;

    private SourceType(String id) {
        this.id = id;
    }

    /** A vendor package's own type, named by its declaration. */
    public static SourceType of(Integration integration) {
        return new SourceType(integration.type());
    }

    public String id() {
        return id;
    }

    /** Every source type: the declared integrations that bring events (not destinations), then the backend's. */
    public static List<SourceType> values() {
        return Stream.concat(Integrations.declared().all().stream().filter(i -> i.kind().bringsEvents())
                .map(SourceType::of), BACKEND.stream()).toList();
    }

    /** Their ids, comma-separated, for a message that says what is accepted. */
    public static String names() {
        return values().stream().map(SourceType::id).collect(Collectors.joining(", "));
    }

    public static Optional<SourceType> fromId(String id) {
        return values().stream().filter(s -> s.id.equals(id)).findFirst();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SourceType that && that.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
