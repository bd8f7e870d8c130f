package com.engarde.signupsync.functions.webhookposhvip;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.testing.WebhookSigning;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the tests send to the webhook-poshvip function (throwaway secrets), and what they read back. */
final class PoshWebhook {

    static final String PATH = "/api/webhooks/poshvip";
    static final String SECRET = "test-posh-secret-not-a-secret";
    static final String PREVIOUS_SECRET = "test-posh-previous-secret-not-a-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PoshWebhook() {
    }

    /** The function configured with the current and the previous secret, as during a rotation. */
    static LambdaFunction function() {
        return new LambdaFunction(Map.of("poshvip.webhook.secret", SECRET,
                "poshvip.webhook.secret.previous", PREVIOUS_SECRET, "engarde.database.pool-size", 8));
    }

    /** How a delivery authenticates. */
    enum Style {
        /** Posh's own: the static secret in the Posh-Secret header. */
        POSH_SECRET,
        /** Hex HMAC-SHA256 of the body in X-Posh-Signature. */
        BODY_SIGNATURE,
        /** Standard Webhooks headers, body base64-encoded in the event as API Gateway does for binary types. */
        STANDARD_WEBHOOKS
    }

    static byte[] sample(String name) {
        try {
            return Files.readAllBytes(LambdaHarness.eventsDir().resolve("webhooks/poshvip").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static APIGatewayProxyRequestEvent signed(Style style, String secret, byte[] body) {
        return switch (style) {
            case POSH_SECRET -> WebhookSigning.withSecret(WebhookSigning.post(PATH, body, false), "Posh-Secret", secret);
            case BODY_SIGNATURE -> WebhookSigning.withSecret(WebhookSigning.post(PATH, body, false),
                    "X-Posh-Signature", WebhookSigning.bodySignature(secret, body));
            case STANDARD_WEBHOOKS -> WebhookSigning.withStandard(WebhookSigning.post(PATH, body, true), secret,
                    "msg_" + UUID.randomUUID(), Instant.now().getEpochSecond(), body);
        };
    }

    static LambdaHarness.Response send(LambdaFunction lambda, Style style, byte[] body) {
        return lambda.handle(signed(style, SECRET, body));
    }

    /** One stored delivery. */
    record Delivery(long id, String key, String eventType, String status, String reason, String authScheme,
                    int attempts, byte[] rawBody, String headers) {
    }

    /** One funnel event with its lead's email. */
    record Event(String type, String externalId, String email, Instant occurredAt, String utmSource,
                 String utmCampaign, JsonNode data) {
    }

    static List<Delivery> deliveries() {
        return query("SELECT id, delivery_key, event_type, status, reason, auth_scheme, attempts, raw_body,"
                + " headers::text FROM webhook_deliveries ORDER BY id", rs -> new Delivery(rs.getLong(1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
                rs.getBytes(8), rs.getString(9)));
    }

    static List<Event> events() {
        return query("SELECT e.event_type, e.external_id, l.email, e.occurred_at, e.utm_source, e.utm_campaign,"
                + " e.event_data::text FROM funnel_events e JOIN leads l ON l.id = e.lead_id ORDER BY e.id",
                rs -> new Event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getString(5), rs.getString(6), json(rs.getString(7))));
    }

    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static <T> List<T> query(String sql, Row<T> row) {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.read(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
