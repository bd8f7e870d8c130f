package com.engarde.signupsync.functions.invitations;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstRedemptionAfterARestoreIsAnswered() {
        try (SnapshotCheck snapshot = new SnapshotCheck(Map.of())) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(LambdaHarness.sample("invitation-redeem.json"));

            assertThat(restored.priming().requests()).hasSize(1);
            assertThat(restored.response().status()).as("no invitation holds the sample's token").isEqualTo(404);
            assertThat(restored.response().json().path("field").asText()).isEqualTo("token");
        }
    }
}
