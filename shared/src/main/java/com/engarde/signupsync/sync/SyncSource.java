package com.engarde.signupsync.sync;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A source the engine pulls from: EasyAppointments, Zoom, the Posh.VIP replay... The connector knows its
 * vendor's API and JSON; the engine knows the store, the run log, the bus and the time budget.
 * <p>
 * The checkpoint is the connector's own JSON (the engine stores it, never reads it): whatever lets a pass
 * resume after the last page written, and lets the next run decide what to read next.
 */
public interface SyncSource {

    /** The funnel_sources row this connector fills, e.g. {@code easyappointments}. */
    String sourceType();

    /** How the engine may notice records the source deleted. */
    Deletions deletions();

    /**
     * Opens the listing to carry out from {@code checkpoint}: the cursor after the last page written, or null
     * when the source has never been synced. A finished pass's checkpoint opens the next pass.
     */
    SyncPass open(JsonNode checkpoint);

    /**
     * Whether a run reads the vendor's API, and so needs the source's credentials. False for a source whose
     * vendor pushes to us, whose sync re-processes what was already received (the Posh.VIP replay).
     */
    default boolean readsVendor() {
        return true;
    }
}
