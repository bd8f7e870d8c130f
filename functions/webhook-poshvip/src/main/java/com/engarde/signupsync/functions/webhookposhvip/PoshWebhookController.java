package com.engarde.signupsync.functions.webhookposhvip;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.sources.poshvip.PoshWebhookReceiver;
import com.engarde.signupsync.webhooks.WebhookRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.servlet.http.ServletHttpRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Posh.VIP's deliveries. The receiver checks signatures over the body's bytes exactly as the sender sent
 * them, so in Lambda they are read from the API Gateway event itself: base64-decoded when API Gateway
 * encoded them, else the UTF-8 text API Gateway passed on. (The framework's binding re-encodes text in the
 * charset the Content-Type names, which breaks a signature whenever that is not UTF-8.) Behind any other
 * server the bound bytes are the raw bytes.
 */
@Controller("/api/webhooks/poshvip")
@Consumes(MediaType.ALL)
public class PoshWebhookController {

    private final PoshWebhookReceiver receiver;

    public PoshWebhookController(PoshWebhookReceiver receiver) {
        this.receiver = receiver;
    }

    @Post
    public PoshWebhookReceiver.Receipt receive(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return receiver.receive(WebhookRequest.of(request.getHeaders(), exactBytes(request, body)));
    }

    private static byte[] exactBytes(HttpRequest<?> request, byte[] bound) {
        if (request instanceof ServletHttpRequest<?, ?> servlet
                && servlet.getNativeRequest() instanceof APIGatewayProxyRequestEvent event) {
            String text = event.getBody();
            if (text == null) {
                return new byte[0];
            }
            return Boolean.TRUE.equals(event.getIsBase64Encoded()) ? Base64.getDecoder().decode(text)
                    : text.getBytes(StandardCharsets.UTF_8);
        }
        return bound;
    }
}
