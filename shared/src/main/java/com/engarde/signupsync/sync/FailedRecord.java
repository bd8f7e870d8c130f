package com.engarde.signupsync.sync;

/** A source record that could not be mapped (no email, a malformed date...): the run goes on without it. */
public record FailedRecord(String externalId, String reason) {

    public FailedRecord {
        externalId = VendorText.id(externalId);
        reason = VendorText.line(reason);
    }
}
