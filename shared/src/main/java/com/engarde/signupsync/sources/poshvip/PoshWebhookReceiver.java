package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.LimitReached;
import com.engarde.signupsync.failure.Unauthenticated;
import io.micronaut.core.annotation.Nullable;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.webhooks.AuthScheme;
import com.engarde.signupsync.webhooks.Authentication;
import com.engarde.signupsync.webhooks.DeliveryStatus;
import com.engarde.signupsync.webhooks.NewDelivery;
import com.engarde.signupsync.webhooks.Rejection;
import com.engarde.signupsync.webhooks.WebhookAuthenticator;
import com.engarde.signupsync.webhooks.WebhookDeliveries;
import com.engarde.signupsync.webhooks.WebhookRejections;
import com.engarde.signupsync.webhooks.WebhookRequest;
import com.engarde.signupsync.webhooks.WebhookSecret;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * POST /api/webhooks/poshvip. Authenticates the delivery, stores it as received (committed before anything
 * else happens to it), then processes it. A redelivery finds the stored one by its key and is acknowledged
 * without a second effect. A delivery that authenticates but cannot be processed is answered 2xx all the
 * same, so the sender does not retry it forever; it stays, failed, for a replay.
 */
@Singleton
public class PoshWebhookReceiver {

    public static final int MAX_BODY_BYTES = 1024 * 1024;
    public static final String SECRET_HEADER = "Posh-Secret";
    public static final String SIGNATURE_HEADER = "X-Posh-Signature";

    private static final Logger LOG = LoggerFactory.getLogger(PoshWebhookReceiver.class);
    /** Headers kept with a delivery for inspection. Chosen here, so that no credential is ever among them. */
    private static final List<String> KEPT_HEADERS = List.of("content-type", "user-agent", "webhook-id",
            "webhook-timestamp", "svix-id", "svix-timestamp", "x-request-id", "x-amzn-trace-id");

    private final SourceCredentials credentials;
    private final WebhookDeliveries deliveries;
    private final WebhookRejections rejections;
    private final PoshDeliveryProcessor processor;
    private final ObjectReader json;
    private final Clock clock;

    public PoshWebhookReceiver(SourceCredentials credentials, WebhookDeliveries deliveries, WebhookRejections rejections,
                               PoshDeliveryProcessor processor, JsonBodies bodies, Clock clock) {
        this.credentials = credentials;
        this.deliveries = deliveries;
        this.rejections = rejections;
        this.processor = processor;
        this.json = bodies.strictReader();
        this.clock = clock;
    }

    /**
     * Read per delivery through the one credentials interface (a secret an admin stored, else the environment
     * or Secrets Manager, whose values the store caches), so that a rotated secret takes effect without a
     * restart; during a rotation both the new and the previous secret are accepted.
     */
    private WebhookAuthenticator authenticator() {
        List<WebhookSecret> configured = credentials.find("poshvip").stream()
                .flatMap(found -> Stream.of(found.field("webhook_secret"), found.field("previous_webhook_secret")))
                .flatMap(java.util.Optional::stream)
                .flatMap(value -> WebhookSecret.of(value).stream())
                .toList();
        return new WebhookAuthenticator(configured, SECRET_HEADER, SIGNATURE_HEADER, clock);
    }

    /** The answer to the sender. {@code duplicate}: this delivery had been received before. */
    public record Receipt(long deliveryId, String status, @Nullable String reason, boolean duplicate, int eventsCreated,
                          @io.swagger.v3.oas.annotations.media.Schema(description = "events of erased people: not written,"
                                  + " and the delivery's body is not kept") int eventsSuppressed) {

        Receipt(long deliveryId, String status, @Nullable String reason, boolean duplicate, int eventsCreated) {
            this(deliveryId, status, reason, duplicate, eventsCreated, 0);
        }
    }

    public Receipt receive(WebhookRequest request) {
        byte[] body = request.body();
        if (body.length > MAX_BODY_BYTES) {
            throw LimitReached.bodyLargerThan(MAX_BODY_BYTES);
        }
        Authentication verdict = authenticator().authenticate(request);
        if (verdict instanceof Authentication.Rejected rejected) {
            rejections.count(PoshDeliveryProcessor.SOURCE, rejected.reason());
            LOG.warn("Posh.VIP delivery refused: {}", rejected.reason().id());
            throw unauthorized(rejected.reason());
        }
        AuthScheme scheme = ((Authentication.Accepted) verdict).scheme();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // A header id identifies the delivery only when the scheme that authenticated it signed that id: an
        // unsigned one would let a captured body be stored and processed again under a new id.
        String webhookId = scheme != AuthScheme.STANDARD_WEBHOOKS ? null
                : request.header("webhook-id") != null ? request.header("webhook-id") : request.header("svix-id");

        JsonNode parsed;
        try {
            parsed = json.readTree(body);
        } catch (IOException e) {
            String problem = e instanceof JsonProcessingException p ? JsonBodies.problem(p) : "unreadable";
            throw keepUnreadable(request, scheme, webhookId, "body is not valid JSON: " + problem, now);
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw keepUnreadable(request, scheme, webhookId, "body is empty", now);
        }
        var stored = store(new NewDelivery(PoshDeliveryProcessor.SOURCE, key(webhookId, parsed, body),
                storable(PoshDeliveryMapper.type(parsed)), scheme, keptHeaders(request), body, DeliveryStatus.RECEIVED, null, now));
        if (!stored.inserted() && stored.status() != DeliveryStatus.RECEIVED) {
            return new Receipt(stored.id(), stored.status().id(), stored.reason(), true, 0);
        }
        // Also when a redelivery finds it still `received`: the first attempt may have died before settling it.
        PoshDeliveryProcessor.Outcome outcome = processor.process(stored.id(), Set.of(DeliveryStatus.RECEIVED))
                .orElseThrow(() -> new IllegalStateException("stored delivery " + stored.id() + " is gone"));
        return new Receipt(outcome.deliveryId(), outcome.status().id(), outcome.reason(), !stored.inserted(),
                outcome.eventsCreated(), outcome.eventsSuppressed());
    }

    /** Keeps a body that is not JSON, failed, for inspection; the sender is told 400. */
    private InvalidInput keepUnreadable(WebhookRequest request, AuthScheme scheme, String webhookId, String reason,
                                        Instant now) {
        var stored = store(new NewDelivery(PoshDeliveryProcessor.SOURCE, key(webhookId, null, request.body()), null,
                scheme, keptHeaders(request), request.body(), DeliveryStatus.FAILED, reason, now));
        return new InvalidInput(null, reason + " (kept as delivery " + stored.id() + ")");
    }

    /**
     * Stores the delivery under its key. A different body already under that key is a different delivery
     * that happens to share its identity (an update sent twice with one update_date, say): it is kept under
     * the key qualified by a digest of its body, never dropped as a retry.
     */
    private WebhookDeliveries.Stored store(NewDelivery delivery) {
        WebhookDeliveries.Stored stored = deliveries.store(delivery);
        if (stored.inserted() || stored.sameBody()) {
            return stored;
        }
        String qualified = delivery.deliveryKey() + "#" + Sha256.hex(delivery.rawBody()).substring(0, 16);
        return deliveries.store(delivery.withKey(qualified));
    }

    /**
     * The delivery's key: the sender's {@code webhook-id} when it sends one; else Posh's own identity of an
     * order event ({@code type:event_id:order_number[:ticket_id]:update_date}); else a digest of the body.
     */
    static String key(String webhookId, JsonNode body, byte[] raw) {
        if (webhookId != null && webhookId.length() <= 400 && storable(webhookId) == webhookId) {
            return webhookId;
        }
        if (body != null && body.isObject()) {
            try {
                String type = PoshDeliveryMapper.type(body);
                JsonNode order = PoshDeliveryMapper.order(body);
                String orderNumber = PoshFields.identifier(order, "order_number", "order_id");
                if (type != null && orderNumber != null) {
                    String eventId = PoshFields.identifier(order, "event_id");
                    String ticketId = PoshFields.identifier(order, "ticket_id");
                    JsonNode updated = PoshFields.first(order, "update_date", "checked_in_at", "transferred_at");
                    if (updated == null) {
                        updated = PoshFields.first(body, "timestamp");
                    }
                    List<String> parts = new ArrayList<>(List.of(type, eventId == null ? "-" : eventId,
                            orderNumber));
                    if (ticketId != null) {
                        parts.add(ticketId);
                    }
                    parts.add(updated == null ? "-" : updated.asText());
                    String key = String.join(":", parts);
                    if (key.length() <= 400 && storable(key) == key) {
                        return key;
                    }
                }
            } catch (MalformedDelivery e) {
                // an unreadable identity falls back to the body's digest; the mapping reports the field
            }
        }
        return "sha256:" + Sha256.hex(raw);
    }

    /**
     * {@code value} when PostgreSQL can store it as text, else null. Whatever a delivery holds, it is kept:
     * a value that cannot go into a column (a NUL, half a surrogate pair) stays only in the raw body.
     */
    private static String storable(String value) {
        return value == null || InputText.problem(value, true) != null ? null : value;
    }

    private static ObjectNode keptHeaders(WebhookRequest request) {
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        for (String name : KEPT_HEADERS) {
            String value = request.header(name);
            if (value != null) {
                String kept = storable(value.length() > 200 ? value.substring(0, 200) : value);
                if (kept != null) {
                    headers.put(name, kept);
                }
            }
        }
        return headers;
    }

    private static Unauthenticated unauthorized(Rejection reason) {
        String message = switch (reason) {
            case NOT_CONFIGURED -> "the Posh.VIP webhook secret is not configured on this service";
            case MISSING_CREDENTIALS -> "send the Posh-Secret header, or a signature of the body in "
                    + "X-Posh-Signature or webhook-id/webhook-timestamp/webhook-signature";
            case STALE_TIMESTAMP -> "webhook-timestamp is more than 5 minutes from now";
            case WRONG_SECRET, BAD_SIGNATURE -> "the delivery's secret or signature is not valid";
        };
        return new Unauthenticated(null, message);
    }
}
