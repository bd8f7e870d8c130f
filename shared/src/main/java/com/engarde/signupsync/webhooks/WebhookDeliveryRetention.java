package com.engarde.signupsync.webhooks;

import com.engarde.signupsync.retention.Expiring;
import com.engarde.signupsync.retention.RetentionPeriods;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Webhook deliveries received before their retention, as whole rows. The raw body is the point of the row, and
 * nothing needs the rest once it is gone: no table references a delivery, the funnel events it produced carry the
 * order's own ids (so funnel totals stay), and a sender redelivers within days, not months. Whatever its status: a
 * delivery still failing after the retention period has been replayed for that long.
 */
@Singleton
class WebhookDeliveryRetention implements Expiring {

    private static final String REMOVE = """
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries WHERE received_at < ? ORDER BY received_at LIMIT ?)
            """;

    private final RetentionPeriods periods;

    WebhookDeliveryRetention(RetentionPeriods periods) {
        this.periods = periods;
    }

    @Override
    public String kind() {
        return "webhook_deliveries";
    }

    @Override
    public int removeBatch(Connection connection, Instant now, int limit) throws SQLException {
        try (PreparedStatement remove = connection.prepareStatement(REMOVE)) {
            remove.setTimestamp(1, Timestamp.from(periods.webhookDeliveriesBefore(now)));
            remove.setInt(2, limit);
            return remove.executeUpdate();
        }
    }
}
