package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.EventBridgeStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing, keeps no connection or secret, and the function then answers. */
class SnapshotTest {

    @Test
    void primingLeavesNoConnectionOrSecretAndTheFirstRequestAfterRestoreIsAnswered() {
        try (EventBridgeStub bus = new EventBridgeStub();
             SnapshotCheck snapshot = new SnapshotCheck(Map.of("signup.sync.event.bus.name", "signup-sync",
                     "signup.sync.bus.endpoint", bus.endpoint(), "signup.sync.bus.region", "eu-west-1"))) {
            SnapshotCheck.Checkpoint checkpoint = snapshot.checkpoint();
            assertThat(checkpoint.report().clean()).as(checkpoint.report().toString()).isTrue();
            assertThat(checkpoint.report().requests()).hasSize(1);

            snapshot.restore();
            LambdaHarness.Response response = snapshot.handle(LambdaHarness.sample("sync-easyappointments.json"));

            assertThat(response.status()).as(response.body()).isEqualTo(202);
            assertThat(snapshot.secretReads()).as("secrets read again after the restore").isGreaterThan(checkpoint.secretReads());
        }
    }
}
