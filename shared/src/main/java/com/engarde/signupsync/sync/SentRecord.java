package com.engarde.signupsync.sync;

/**
 * What became of one record sent to a destination: {@code created} or {@code updated} there, {@code unchanged}
 * (it already held the same), {@code suppressed} (the person was erased or opted out: never sent), or
 * {@code failed} with the reason (the vendor refused it; counted failed with its
 * id, the run goes on). The counts of the run log are these outcomes.
 */
public record SentRecord(String externalId, Outcome outcome, String failure) {

    public enum Outcome { CREATED, UPDATED, UNCHANGED, FAILED, SUPPRESSED }

    /** Whatever a destination passed: the id and reason reach the run log as one clean line. */
    public SentRecord {
        externalId = VendorText.id(externalId);
        failure = VendorText.line(failure);
        if ((outcome == Outcome.FAILED) != (failure != null)) {
            throw new IllegalArgumentException("a failed record, and only a failed one, has a reason");
        }
    }

    public static SentRecord created(String externalId) {
        return new SentRecord(externalId, Outcome.CREATED, null);
    }

    public static SentRecord updated(String externalId) {
        return new SentRecord(externalId, Outcome.UPDATED, null);
    }

    public static SentRecord unchanged(String externalId) {
        return new SentRecord(externalId, Outcome.UNCHANGED, null);
    }

    public static SentRecord suppressed(String externalId) {
        return new SentRecord(externalId, Outcome.SUPPRESSED, null);
    }

    public static SentRecord failed(String externalId, String reason) {
        return new SentRecord(externalId, Outcome.FAILED, reason == null || reason.isBlank() ? "refused" : reason);
    }
}
