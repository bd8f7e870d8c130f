package com.engarde.signupsync.functions.syncposhvip;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstDeliveryListAfterARestoreIsAnswered() {
        try (SnapshotCheck snapshot = new SnapshotCheck(Map.of())) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(LambdaHarness.request("GET", "/sync/poshvip/deliveries", null));

            assertThat(restored.priming().requests()).hasSize(3);
            assertThat(restored.priming().requests()).allMatch(a -> a.status() == a.request().status());
            assertThat(restored.response().status()).isEqualTo(200);
            assertThat(restored.response().json().isArray()).isTrue();
        }
    }
}
