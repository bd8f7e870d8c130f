package com.engarde.signupsync.functions.webhookposhvip;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.SnapshotCheck;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart in-process: the priming changes nothing and keeps no connection or secret (SnapshotCheck fails otherwise). */
class SnapshotTest {

    @Test
    void theFirstDeliveryAfterARestoreIsStoredAndMapped() {
        try (SnapshotCheck snapshot = new SnapshotCheck(Map.of("poshvip.webhook.secret", PoshWebhook.SECRET))) {
            SnapshotCheck.Restored restored = snapshot.firstRequestAfterRestore(PoshWebhook.signed(PoshWebhook.Style.POSH_SECRET, PoshWebhook.SECRET,
                    PoshWebhook.sample("new_order.json")));

            assertThat(restored.priming().requests()).hasSize(1);
            assertThat(restored.response().status()).isEqualTo(200);
            assertThat(PoshWebhook.events()).isNotEmpty();
        }
    }
}
