package com.engarde.signupsync.functions.adminplatform;

import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstAdminListAfterARestoreIsAnsweredWithTheAdminsToken() {
        try (SnapshotCheck snapshot = SnapshotCheck.forAdmin()) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(AdminRequests.sample("admin-platform-admins.json"));

            assertThat(restored.priming().requests()).hasSize(2);
            assertThat(restored.response().status()).isEqualTo(200);
            assertThat(restored.response().json().path("admins").isArray()).isTrue();
        }
    }
}
