package com.engarde.signupsync.functions.webhookposhvip;

import com.engarde.signupsync.api.ApiError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "webhooks", description = "Deliveries Posh.VIP sends")
public class PoshWebhookController {

    private final PoshWebhookReceiver receiver;

    public PoshWebhookController(PoshWebhookReceiver receiver) {
        this.receiver = receiver;
    }

    @Operation(summary = "Receive a Posh.VIP delivery", description = "Every authenticated delivery is stored as received (raw bytes) before it is processed and answered 200 with its status; a redelivery is acknowledged without a second effect. A delivery that authenticates but cannot be processed is kept as ignored or failed and answered 200. At most 1 MB.",
            security = {@SecurityRequirement(name = "posh-secret"), @SecurityRequirement(name = "posh-signature"),
                    @SecurityRequirement(name = "standard-webhooks")})
    @RequestBody(required = true, content = {@Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/PoshVipWebhookBody"),
            examples = @ExampleObject(value = """
                    {"type":"new_order","account_first_name":"Jane","account_last_name":"Doe","account_email":"jane@example.com","account_phone":"+15555550123","account_instagram":"janedoe","event_name":"Example Event","event_start":"2026-07-04T22:30:00.000Z","event_end":"2026-07-05T04:00:00.000Z","event_id":"65a1b2c3d4e5f6a7b8c9d0e1","items":[{"item_id":"ticket-001","name":"General Admission","price":45},{"item_id":"ticket-002","name":"General Admission","price":45}],"date_purchased":"2026-06-20T18:04:11.000Z","promo_code":"","subtotal":90,"total":95.5,"tracking_link":"PROMO001","order_number":"1042","update_date":"2026-06-20T18:04:11.000Z","cancelled":false,"refunded":false,"disputed":false,"partialRefund":0,"custom_fields":[{"type":"input","prompt":"What night are you attending?","answer":"7/4"}],"isInPersonOrder":false}""")),
            @Content(mediaType = "*/*", schema = @Schema(ref = "#/components/schemas/PoshVipWebhookBody"))})
    @ApiResponse(responseCode = "200", description = "stored (and processed, ignored or failed, see status)", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PoshWebhookReceiver.Receipt.class),
                examples = @ExampleObject(value = """
                        {"delivery_id":42,"status":"processed","duplicate":false,"events_created":1}""")))
    @ApiResponse(responseCode = "400", description = "authenticated but not JSON: kept as a failed delivery",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid secret or signature; nothing stored",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 1 MB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "the database is unreachable",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post
    public PoshWebhookReceiver.Receipt receive(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return receiver.receive(WebhookRequest.of(request.getHeaders().asMap(), exactBytes(request, body)));
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
