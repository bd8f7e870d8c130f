package com.engarde.signupsync.functions.usageingest;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstUsageBatchAfterARestoreIsStored() {
        try (SnapshotCheck snapshot = new SnapshotCheck(Map.of())) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(LambdaHarness.sample("usage-metrics.json"));

            assertThat(restored.priming().requests()).hasSize(1);
            assertThat(restored.response().status()).isEqualTo(200);
            assertThat(Rows.count("usage_metrics")).isPositive();
        }
    }
}
