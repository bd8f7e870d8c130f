package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.EventBridgeStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstSyncAfterARestorePutsItsEventOnTheBus() {
        try (EventBridgeStub bus = new EventBridgeStub();
             // The vendor's secret, as the function's manifest gives it in AWS: a sync without credentials is refused.
             SnapshotCheck snapshot = SnapshotCheck.publishingTo(bus, java.util.Map.of("EASYAPPOINTMENTS_SECRET_ARN", "{\"EASYAPPOINTMENTS_API_KEY\":\"test-easyappointments-key\"}"),
                     java.util.Map.of("easyappointments.url", "https://booking.example.com"))) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(LambdaHarness.sample("sync-easyappointments.json"));

            assertThat(restored.priming().requests()).hasSize(1);
            assertThat(restored.response().status()).isEqualTo(202);
            assertThat(bus.entries()).hasSize(1);
        }
    }
}
