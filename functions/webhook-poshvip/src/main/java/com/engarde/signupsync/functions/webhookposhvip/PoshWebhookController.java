package com.engarde.signupsync.functions.webhookposhvip;

import com.engarde.signupsync.sources.poshvip.PoshWebhookReceiver;
import com.engarde.signupsync.webhooks.WebhookRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/**
 * Posh.VIP's deliveries. The body is bound as bytes, exactly as sent (base64-decoded when API Gateway encoded
 * it): signatures are checked over these bytes by the receiver, which also owns every answer.
 */
@Controller("/api/webhooks/poshvip")
@Consumes(MediaType.ALL)
public class PoshWebhookController {

    private final PoshWebhookReceiver receiver;

    public PoshWebhookController(PoshWebhookReceiver receiver) {
        this.receiver = receiver;
    }

    @Post
    public PoshWebhookReceiver.Receipt receive(HttpHeaders headers, @Body @Nullable byte[] body) {
        return receiver.receive(WebhookRequest.of(headers, body));
    }
}
