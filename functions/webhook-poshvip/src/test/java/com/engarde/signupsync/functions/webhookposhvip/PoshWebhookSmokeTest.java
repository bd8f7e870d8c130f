package com.engarde.signupsync.functions.webhookposhvip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PoshWebhookSmokeTest {
    @Test
    void smoke() {
        try (PoshWebhookFixture f = new PoshWebhookFixture()) {
            for (PoshWebhookFixture.Style s : PoshWebhookFixture.Style.values()) {
                var r = f.send(s, PoshWebhookFixture.sample("purchase.created.json"));
                System.out.println(s + " " + r);
            }
            System.out.println(f.deliveries());
            System.out.println(f.events());
            assertThat(f.events()).hasSize(1);
        }
    }
}
