package com.engarde.signupsync.webhooks;

import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The webhook_deliveries table: every authenticated delivery, stored as received before anything else
 * happens to it, once per (source, delivery key) however often the sender redelivers it.
 */
@Singleton
public class WebhookDeliveries {

    private static final String COLUMNS = """
            id, source_type, delivery_key, event_type, status, reason, auth_scheme, headers::text AS headers,
            attempts, received_at, processed_at
            """;

    private final Database database;
    private final ObjectMapper mapper;

    public WebhookDeliveries(Database database, ObjectMapper mapper) {
        this.database = database;
        this.mapper = mapper;
    }

    /**
     * The stored row for a delivery key, whether this call stored it, and (when it did not) whether the stored
     * body is the same as this one's: a different body under the same key is another delivery, not a retry.
     */
    public record Stored(long id, DeliveryStatus status, String reason, boolean inserted, boolean sameBody) {
    }

    /** Stores the delivery, or finds the one already stored under its key. Committed before it returns. */
    public Stored store(NewDelivery delivery) {
        return database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO webhook_deliveries (source_type, delivery_key, raw_body, status, reason, received_at,
                                                    processed_at, event_type, auth_scheme, headers)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                    ON CONFLICT (source_type, delivery_key) DO NOTHING
                    RETURNING id
                    """)) {
                Timestamp at = Timestamp.from(delivery.receivedAt());
                insert.setString(1, delivery.sourceType());
                insert.setString(2, delivery.deliveryKey());
                insert.setBytes(3, delivery.rawBody());
                insert.setString(4, delivery.status().id());
                insert.setString(5, InputText.printable(delivery.reason()));
                insert.setTimestamp(6, at);
                insert.setTimestamp(7, delivery.status() == DeliveryStatus.RECEIVED ? null : at);
                insert.setString(8, delivery.eventType());
                insert.setString(9, delivery.authScheme() == null ? null : delivery.authScheme().id());
                insert.setString(10, json(delivery.headers()));
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        return new Stored(rs.getLong(1), delivery.status(), delivery.reason(), true, true);
                    }
                }
            }
            // A separate statement: it sees a row that a concurrent delivery committed after the insert began.
            try (PreparedStatement select = connection.prepareStatement("SELECT id, status, reason, raw_body = ?"
                    + " FROM webhook_deliveries WHERE source_type = ? AND delivery_key = ?")) {
                select.setBytes(1, delivery.rawBody());
                select.setString(2, delivery.sourceType());
                select.setString(3, delivery.deliveryKey());
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("delivery conflicted on its key and is gone");
                    }
                    return new Stored(rs.getLong(1), DeliveryStatus.fromId(rs.getString(2)).orElseThrow(),
                            rs.getString(3), false, rs.getBoolean(4));
                }
            }
        });
    }

    /** Locks a delivery for processing, with its body; concurrent processing of one delivery takes turns. */
    public Optional<WebhookDelivery> lock(Connection connection, String sourceType, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + ", raw_body"
                + " FROM webhook_deliveries WHERE id = ? AND source_type = ? FOR UPDATE")) {
            select.setLong(1, id);
            select.setString(2, sourceType);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, true)) : Optional.empty();
            }
        }
    }

    /** Records what processing decided, inside the processing transaction. */
    public void settle(Connection connection, long id, DeliveryStatus status, String reason, Instant at)
            throws SQLException {
        settle(connection, id, status, reason, at, "");
    }

    /**
     * Settles a delivery whose every person was erased: ignored, and its raw body and headers emptied inside the
     * transaction that found it, so that a delivery about an erased person never keeps their data.
     */
    public void settleErased(Connection connection, long id, Instant at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE webhook_deliveries SET raw_body = convert_to('{}', 'UTF8'), headers = '{}'::jsonb WHERE id = ?""")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
        settle(connection, id, DeliveryStatus.IGNORED, ERASED, at);
    }

    /** Why a delivery about erased people was ignored. */
    public static final String ERASED = "suppressed: the person was erased";

    /**
     * Records what a replay decided, inside the transaction that wrote its events, unless the delivery was
     * settled meanwhile (by the receiver, or another replay): false then. Waits for a processing holding its lock.
     */
    public boolean settleUnsettled(Connection connection, long id, DeliveryStatus status, String reason, Instant at)
            throws SQLException {
        return settle(connection, id, status, reason, at, " AND status IN ('received', 'failed')");
    }

    private static boolean settle(Connection connection, long id, DeliveryStatus status, String reason, Instant at,
                                  String condition) throws SQLException {
        if (status == DeliveryStatus.RECEIVED) {
            throw new IllegalArgumentException("a delivery settles as processed, failed or ignored");
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE webhook_deliveries SET status = ?,"
                + " reason = ?, processed_at = ?, attempts = attempts + 1 WHERE id = ?" + condition)) {
            update.setString(1, status.id());
            // A reason can quote the delivery's own values: it must be storable whatever they hold.
            update.setString(2, InputText.printable(reason));
            update.setTimestamp(3, Timestamp.from(at));
            update.setLong(4, id);
            return update.executeUpdate() == 1;
        }
    }

    public Optional<WebhookDelivery> find(String sourceType, long id, boolean withBody) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + (withBody ? ", raw_body" : "") + " FROM webhook_deliveries WHERE id = ? AND source_type = ?")) {
                select.setLong(1, id);
                select.setString(2, sourceType);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs, withBody)) : Optional.empty();
                }
            }
        });
    }

    /** A source's most recent deliveries, newest first, optionally of one status, before an id (paging). */
    public List<WebhookDelivery> recent(String sourceType, DeliveryStatus status, Long beforeId, int limit) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM webhook_deliveries WHERE source_type = ? AND (?::text IS NULL OR status = ?)"
                    + " AND (?::bigint IS NULL OR id < ?) ORDER BY id DESC LIMIT ?")) {
                String s = status == null ? null : status.id();
                select.setString(1, sourceType);
                select.setString(2, s);
                select.setString(3, s);
                select.setObject(4, beforeId);
                select.setObject(5, beforeId);
                select.setInt(6, limit);
                List<WebhookDelivery> found = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.add(read(rs, false));
                    }
                }
                return found;
            }
        });
    }

    /**
     * Ids of deliveries due for (re)processing at {@code now}, oldest first, after {@code afterId}: every one
     * never settled; a failed one at once for its first replay (the usual case: the cause was fixed, now replay),
     * then once a backoff after its last attempt has passed (minutes doubling with each attempt, up to about 17
     * hours), so a delivery that keeps failing is retried less and less often.
     */
    public List<Long> due(String sourceType, long afterId, int limit, Instant now) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT id FROM webhook_deliveries
                    WHERE source_type = ? AND status IN ('received', 'failed') AND id > ?
                      AND (status = 'received' OR attempts < 2
                           OR processed_at <= ?::timestamptz - interval '1 minute' * power(2, least(attempts, 10)))
                    ORDER BY id LIMIT ?
                    """)) {
                select.setString(1, sourceType);
                select.setLong(2, afterId);
                select.setTimestamp(3, Timestamp.from(now));
                select.setInt(4, limit);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    private WebhookDelivery read(ResultSet rs, boolean withBody) throws SQLException {
        Timestamp processed = rs.getTimestamp("processed_at");
        return new WebhookDelivery(rs.getLong("id"), rs.getString("source_type"), rs.getString("delivery_key"),
                rs.getString("event_type"), DeliveryStatus.fromId(rs.getString("status")).orElseThrow(),
                rs.getString("reason"), rs.getString("auth_scheme"), parse(rs.getString("headers")),
                rs.getInt("attempts"), rs.getTimestamp("received_at").toInstant(),
                processed == null ? null : processed.toInstant(), withBody ? rs.getBytes("raw_body") : null);
    }

    private String json(JsonNode node) {
        try {
            return node == null ? "{}" : mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored headers are not JSON", e);
        }
    }
}
