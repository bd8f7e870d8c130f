package com.engarde.signupsync.sync;

import com.engarde.signupsync.funnel.EventType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What became of stored records a page did not list: {@code gone} from the source, or {@code found} still
 * there (and mapped again).
 */
public record MissingRecords(List<Gone> gone, List<SyncRecord> found) {

    public static final MissingRecords NONE = new MissingRecords(List.of(), List.of());

    /** Every one of {@code missing} is gone, only marked. */
    public static MissingRecords allGone(List<KnownRecord> missing) {
        return new MissingRecords(missing.stream().map(k -> new Gone(k.externalId(), null, null)).toList(), List.of());
    }

    /**
     * A record the source deleted. {@code event}, when not null, is written for the record's lead (found from
     * the record's earlier events), so that a deleted booking does not linger as booked; null only marks it.
     */
    public record Gone(String externalId, EventType event, ObjectNode eventData) {
    }
}
