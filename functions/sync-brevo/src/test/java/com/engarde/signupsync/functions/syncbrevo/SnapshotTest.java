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
            // This run holds no Brevo API key: the request gets as far as the credentials, read after the restore.
            assertThat(restored.response().status()).isEqualTo(409);
            assertThat(restored.response().json().path("message").asText()).contains("brevo has no credentials");
        }
    }
}
