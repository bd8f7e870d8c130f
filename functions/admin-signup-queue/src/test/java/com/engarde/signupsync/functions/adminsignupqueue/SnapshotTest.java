package com.engarde.signupsync.functions.adminsignupqueue;

import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstRequestAfterARestoreIsAnswered() {
        try (SnapshotCheck snapshot = SnapshotCheck.forAdmin()) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(AdminRequests.sample("admin-signup-queue.json"));

            assertThat(restored.priming().requests()).hasSize(1);
            assertThat(restored.response().status()).isEqualTo(200);
            assertThat(restored.response().json().path("entries").isArray()).isTrue();
        }
    }
}
