package com.engarde.signupsync.functions.syncbrevo;

import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstRequestAfterARestoreIsAnswered() {
        try (SnapshotCheck snapshot = SnapshotCheck.forAdmin()) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(AdminRequests.sample("sync-brevo.json"));

            assertThat(restored.priming().requests()).hasSize(1);
            // No list is configured in this run (BREVO_LIST_ID is optional): the request names the field it needs.
            assertThat(restored.response().status()).isEqualTo(400);
            assertThat(restored.response().json().path("field").asText()).isEqualTo("list_id");
        }
    }
}
