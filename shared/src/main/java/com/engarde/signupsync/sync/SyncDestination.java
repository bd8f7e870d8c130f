package com.engarde.signupsync.sync;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A destination the engine sends records to: contacts into Brevo lists... The destination knows where its
 * records wait in this database and its vendor's API; the engine knows the run log, the bus and the time budget,
 * and gives a destination's runs what it gives a source's: one invocation at a time (the claim), a checkpoint
 * after every batch, a stop before the budget with a continuation over the bus, records that fail alone, the
 * requests counted, and the run in {@code GET /sync/status/{type}}.
 * <p>
 * The checkpoint is the destination's own JSON (the engine stores it, never reads it): whatever lets the next
 * invocation send what comes after the last batch recorded. A batch sent and not recorded (the invocation died
 * between the two) is sent again, so sending must be idempotent (an upsert, a list add).
 */
public interface SyncDestination {

    /** The funnel_sources row of kind {@code destination} its runs are logged under, e.g. {@code brevo}. */
    String destinationType();

    /** Opens the sending at {@code checkpoint}: the cursor after the last batch recorded, or null on the first run. */
    DestinationPass open(JsonNode checkpoint);
}
