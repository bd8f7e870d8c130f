package com.engarde.signupsync.functions.synczoom;

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
             SnapshotCheck snapshot = SnapshotCheck.publishingTo(bus, java.util.Map.of("ZOOM_SECRET_ARN", "{\"ZOOM_ACCOUNT_ID\":\"test-account\",\"ZOOM_CLIENT_ID\":\"test-client\",\"ZOOM_CLIENT_SECRET\":\"test-zoom-secret\"}"),
                     java.util.Map.of())) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(LambdaHarness.sample("sync-zoom.json"));

            assertThat(restored.priming().requests()).hasSize(1);
            assertThat(restored.response().status()).isEqualTo(202);
            assertThat(bus.entries()).hasSize(1);
            assertThat(bus.entries().toString()).contains("\\\"source_type\\\":\\\"zoom\\\"");
        }
    }
}
