package com.engarde.signupsync.functions.webhookposhvip;

import com.engarde.signupsync.sources.poshvip.PoshIntegration;
import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.sources.poshvip.PoshDeliveryMapper;
import com.engarde.signupsync.sources.poshvip.PoshMapping;
import com.engarde.signupsync.sources.poshvip.PoshWebhookReceiver;
import com.engarde.signupsync.webhooks.AuthScheme;
import com.engarde.signupsync.webhooks.DeliveryStatus;
import com.engarde.signupsync.webhooks.NewDelivery;
import com.engarde.signupsync.webhooks.WebhookAuthenticator;
import com.engarde.signupsync.webhooks.WebhookDeliveries;
import com.engarde.signupsync.webhooks.WebhookRequest;
import com.engarde.signupsync.webhooks.WebhookSecret;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Priming: an oversized body through the handler (refused before authentication, so not even a rejection is
 * counted), then what an authenticated delivery adds: a signature check against a throwaway secret, the sample
 * order stored as a delivery, mapped, and its events written. The priming rolls both writes back.
 */
@Singleton
class PoshWebhookSample implements SampleWork {

    private static final String ORDER = "{\"type\":\"new_order\",\"account_email\":\"sample@example.com\","
            + "\"order_number\":1,\"event_id\":\"priming\",\"event_name\":\"Sample\",\"subtotal\":10,\"total\":10,"
            + "\"items\":[{\"item_id\":\"1\",\"name\":\"GA\",\"price\":10}],\"date_purchased\":\"2026-03-01T10:00:00Z\"}";

    private final PoshDeliveryMapper mapper;
    private final WebhookDeliveries deliveries;
    private final FunnelEventWriter writer;
    private final ObjectMapper json;
    private final Clock clock;

    PoshWebhookSample(PoshDeliveryMapper mapper, WebhookDeliveries deliveries, FunnelEventWriter writer,
                      ObjectMapper json, Clock clock) {
        this.mapper = mapper;
        this.deliveries = deliveries;
        this.writer = writer;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.post("/api/webhooks/poshvip", "x".repeat(PoshWebhookReceiver.MAX_BODY_BYTES + 1), 413));
    }

    @Override
    public void exercise() throws Exception {
        byte[] body = ORDER.getBytes(StandardCharsets.UTF_8);
        WebhookSecret secret = WebhookSecret.of("priming-only-not-a-secret").orElseThrow();
        new WebhookAuthenticator(List.of(secret), PoshWebhookReceiver.SECRET_HEADER, PoshWebhookReceiver.SIGNATURE_HEADER, clock)
                .authenticate(new WebhookRequest(body, Map.of("posh-secret", "priming-only-not-a-secret")));
        var parsed = json.readTree(body);
        var stored = deliveries.store(new NewDelivery(PoshIntegration.POSHVIP.id(), "snapshot-priming",
                PoshDeliveryMapper.type(parsed), AuthScheme.SHARED_SECRET, json.createObjectNode(), body,
                DeliveryStatus.RECEIVED, null, clock.instant()));
        if (mapper.map(parsed, stored.id(), clock.instant()) instanceof PoshMapping.Events events) {
            writer.write(events.events());
        }
    }
}
