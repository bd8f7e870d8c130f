package com.engarde.signupsync.sync;

import com.engarde.signupsync.funnel.NewFunnelEvent;

import java.time.Instant;
import java.util.List;

/**
 * One source record, mapped: the funnel events it stands for (booked, cancelled, completed...), or why it
 * could not be mapped ({@code failure}, counted as failed with its external id; the run goes on).
 * {@code sortKey} is its place in the listing order (null when the listing has none) and {@code happensAt}
 * when what it records happens (an appointment's start, a webinar's), where the source has them.
 * <p>
 * The engine compares what a record maps to with what it wrote last time, over event types, person, UTM and
 * event data: not over occurred_at, which a connector may only observe (when a cancellation was seen), so
 * a time that matters belongs in the event data too.
 */
public record SyncRecord(String externalId, SortKey sortKey, Instant happensAt, List<NewFunnelEvent> events, String failure) {

    /** Whatever a connector passed: the id and reason reach the run log and the record log as one clean line. */
    public SyncRecord {
        externalId = VendorText.id(externalId);
        failure = VendorText.line(failure);
    }

    public static SyncRecord mapped(String externalId, SortKey sortKey, Instant happensAt, List<NewFunnelEvent> events) {
        return new SyncRecord(externalId, sortKey, happensAt, List.copyOf(events), null);
    }

    public static SyncRecord failed(String externalId, SortKey sortKey, String failure) {
        return new SyncRecord(externalId, sortKey, null, List.of(), failure);
    }

    public boolean isFailed() {
        return failure != null;
    }
}
