package com.engarde.signupsync.functions.usagerollup;

import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstRollupAfterARestoreRollsItsDayUp() {
        try (SnapshotCheck snapshot = SnapshotCheck.forAdmin()) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(AdminRequests.sample("usage-rollup.json"));

            assertThat(restored.priming().requests()).hasSize(1);
            assertThat(restored.response().status()).isEqualTo(200);
        }
    }
}
