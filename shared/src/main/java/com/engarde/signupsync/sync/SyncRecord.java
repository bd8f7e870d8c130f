package com.engarde.signupsync.sync;

import com.engarde.signupsync.funnel.NewFunnelEvent;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * One source record, mapped: the funnel events it stands for (booked, cancelled, completed...), or why it
 * could not be mapped ({@code failure}, counted as failed with its external id; the run goes on).
 * {@code sortKey} is its place in the listing order (null when the listing has none) and {@code happensAt}
 * when what it records happens (an appointment's start, a webinar's), where the source has them.
 * <p>
 * The engine compares what a record maps to with what it wrote last time, over event types, person, UTM and
 * event data: not over occurred_at, which a connector may only observe (when a cancellation was seen), so
 * a time that matters belongs in the event data too.
 * <p>
 * A connector may also hand a record over <b>unmapped</b> ({@link #raw}): its id, listing key, the SHA-256 of its
 * raw vendor form and of everything else its mapping reads ({@code rawFingerprint}; see {@link RawFingerprint}),
 * and how to map it. When the record log holds the same raw fingerprint for it (and the record is not marked
 * deleted), the record is unchanged and is never mapped; otherwise the engine maps it and goes on as above.
 * A mapped record may carry its raw fingerprint too, which the record log keeps for the next run.
 */
public record SyncRecord(String externalId, SortKey sortKey, Instant happensAt, List<NewFunnelEvent> events,
                         String failure, byte[] rawFingerprint, Supplier<SyncRecord> mapping) {

    /** Whatever a connector passed: the id and reason reach the run log and the record log as one clean line. */
    public SyncRecord {
        externalId = VendorText.id(externalId);
        failure = VendorText.line(failure);
        if (rawFingerprint != null && rawFingerprint.length != RawFingerprint.LENGTH) {
            throw new IllegalArgumentException("a raw fingerprint is " + RawFingerprint.LENGTH + " bytes (SHA-256)");
        }
    }

    public static SyncRecord mapped(String externalId, SortKey sortKey, Instant happensAt, List<NewFunnelEvent> events) {
        return new SyncRecord(externalId, sortKey, happensAt, List.copyOf(events), null, null, null);
    }

    public static SyncRecord failed(String externalId, SortKey sortKey, String failure) {
        return new SyncRecord(externalId, sortKey, null, List.of(), failure, null, null);
    }

    /**
     * A record not mapped yet: {@code mapping} maps it (answering a mapped or failed record with the same id), and
     * is called at most once, only when the record log does not hold {@code rawFingerprint} for it.
     */
    public static SyncRecord raw(String externalId, SortKey sortKey, byte[] rawFingerprint, Supplier<SyncRecord> mapping) {
        if (rawFingerprint == null || mapping == null) {
            throw new IllegalArgumentException("an unmapped record needs its raw fingerprint and its mapping");
        }
        return new SyncRecord(externalId, sortKey, null, List.of(), null, rawFingerprint.clone(), mapping);
    }

    /** This mapped record, keeping {@code fingerprint} of its raw form in the record log. */
    public SyncRecord withRawFingerprint(byte[] fingerprint) {
        return new SyncRecord(externalId, sortKey, happensAt, events, failure, fingerprint == null ? null : fingerprint.clone(),
                mapping);
    }

    public boolean isFailed() {
        return failure != null;
    }

    /** Whether the record still has to be mapped (see {@link #raw}). */
    public boolean isUnmapped() {
        return mapping != null;
    }

    /**
     * The record mapped: itself when it is; else its mapping's answer, carrying this raw fingerprint (an answer
     * for another id is a connector bug and fails the record rather than writing under the wrong id).
     */
    public SyncRecord map() {
        if (mapping == null) {
            return this;
        }
        SyncRecord mapped = mapping.get();
        if (mapped == null || mapped.isUnmapped() || !mapped.externalId().equals(externalId)) {
            return failed(externalId, sortKey, "the connector's mapping answered another record");
        }
        return mapped.isFailed() ? mapped : mapped.withRawFingerprint(rawFingerprint);
    }
}
