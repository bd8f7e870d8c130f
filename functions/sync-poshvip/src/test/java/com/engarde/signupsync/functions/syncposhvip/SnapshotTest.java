package com.engarde.signupsync.functions.syncposhvip;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing, keeps no connection or secret, and the function then answers. */
class SnapshotTest {

    @Test
    void primingLeavesNoConnectionOrSecretAndTheFirstRequestAfterRestoreIsAnswered() {
        try (SnapshotCheck snapshot = new SnapshotCheck(Map.of())) {
            SnapshotCheck.Checkpoint checkpoint = snapshot.checkpoint();
            assertThat(checkpoint.report().clean()).as(checkpoint.report().toString()).isTrue();
            assertThat(checkpoint.report().requests()).hasSize(2);

            snapshot.restore();
            LambdaHarness.Response response = snapshot.handle(LambdaHarness.request("GET", "/sync/poshvip/deliveries", null));

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(snapshot.secretReads()).as("secrets read again after the restore").isGreaterThan(checkpoint.secretReads());
        }
    }
}
