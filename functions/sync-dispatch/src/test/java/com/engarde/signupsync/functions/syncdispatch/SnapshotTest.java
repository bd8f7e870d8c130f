package com.engarde.signupsync.functions.syncdispatch;

import com.engarde.signupsync.testing.EventBridgeStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstSyncAllAfterARestorePutsItsEventsOnTheBus() {
        try (EventBridgeStub bus = new EventBridgeStub();
             SnapshotCheck snapshot = SnapshotCheck.publishingTo(bus)) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(LambdaHarness.sample("sync-all.json"));

            assertThat(restored.priming().requests()).hasSize(1);
            assertThat(restored.response().status()).isEqualTo(202);
            // One event per active pull source with a sync function: EasyAppointments, Zoom (V10), Eventbrite (V12).
            assertThat(bus.entries()).hasSize(3);
            assertThat(bus.entries().toString()).contains("\\\"source_type\\\":\\\"easyappointments\\\"",
                    "\\\"source_type\\\":\\\"zoom\\\"", "\\\"source_type\\\":\\\"eventbrite\\\"");
        }
    }
}
