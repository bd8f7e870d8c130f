package com.engarde.signupsync.funnel;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.failure.Conflict;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * POST /funnel/conversion: a lead became a platform user. The conversion keeps a snapshot of first- and
 * last-touch attribution as of {@code converted_at}, and adds a {@code converted} event to the funnel.
 */
@Singleton
public class Conversions {

    public static final long MAX_BODY_BYTES = 64 * 1024;

    private static final String CONVERSION_COLUMNS = """
            c.id, c.lead_id, l.email, c.platform_user_id, c.tenant_id, c.converted_at,
            c.first_touch_source, c.first_touch_at, c.first_touch_utm_source, c.first_touch_utm_medium,
            c.first_touch_utm_campaign, c.first_touch_utm_term, c.first_touch_utm_content,
            c.last_touch_source, c.last_touch_at, c.last_touch_utm_source, c.last_touch_utm_medium,
            c.last_touch_utm_campaign, c.last_touch_utm_term, c.last_touch_utm_content,
            c.seconds_to_conversion, c.created_at
            """;

    private static final String TOUCHES = """
            (SELECT 'first' AS which, source_type, occurred_at, utm_source, utm_medium, utm_campaign, utm_term, utm_content
               FROM funnel_events WHERE lead_id = ? AND event_type <> 'converted' AND occurred_at <= ?
               ORDER BY occurred_at, id LIMIT 1)
            UNION ALL
            (SELECT 'last', source_type, occurred_at, utm_source, utm_medium, utm_campaign, utm_term, utm_content
               FROM funnel_events WHERE lead_id = ? AND event_type <> 'converted' AND occurred_at <= ?
               ORDER BY occurred_at DESC, id DESC LIMIT 1)
            """;

    private static final String INSERT = """
            INSERT INTO funnel_conversions (lead_id, platform_user_id, tenant_id, converted_at,
                first_touch_source, first_touch_at, first_touch_utm_source, first_touch_utm_medium,
                first_touch_utm_campaign, first_touch_utm_term, first_touch_utm_content,
                last_touch_source, last_touch_at, last_touch_utm_source, last_touch_utm_medium,
                last_touch_utm_campaign, last_touch_utm_term, last_touch_utm_content, seconds_to_conversion)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            RETURNING id
            """;

    private final Database database;
    private final FunnelEventWriter writer;
    private final Clock clock;

    public Conversions(Database database, FunnelEventWriter writer, Clock clock) {
        this.database = database;
        this.writer = writer;
        this.clock = clock;
    }

    /** The outcome: {@code created} is false when this conversion was already recorded. */
    public record Outcome(boolean created, Conversion conversion) {
    }

    private record Request(Long leadId, String email, String platformUserId, String tenantId, Instant convertedAt) {
    }

    /** A conversion, read from a body by {@link JsonBodies#object} within {@link #MAX_BODY_BYTES}. */
    public Outcome convert(ObjectNode body) {
        Request request = parse(body);
        return database.transaction(connection -> convert(connection, request));
    }

    private Request parse(ObjectNode body) {
        Long leadId = JsonFields.id(body, "lead_id");
        String email = Emails.normalize(JsonFields.text(body, "email", 320));
        if (leadId == null && email == null) {
            throw new InvalidInput("email", "email or lead_id is required");
        }
        if (email != null && !Emails.isValid(email)) {
            throw new InvalidInput("email", "email is not a valid email address");
        }
        String platformUserId = JsonFields.identifier(body, "platform_user_id", 255);
        if (platformUserId == null) {
            throw new InvalidInput("platform_user_id", "platform_user_id is required");
        }
        String tenantId = JsonFields.identifier(body, "tenant_id", 255);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant convertedAt = JsonFields.instant(body, "converted_at");
        if (convertedAt != null) {
            convertedAt = convertedAt.truncatedTo(ChronoUnit.MICROS);
        }
        String late = convertedAt == null ? null : EventTimes.problem("converted_at", convertedAt, now);
        if (late != null) {
            throw new InvalidInput("converted_at", late);
        }
        return new Request(leadId, email, platformUserId, tenantId, convertedAt == null ? now : convertedAt);
    }

    private Outcome convert(Connection connection, Request request) throws SQLException {
        long leadId = lockLead(connection, request);
        Conversion existing = find(connection, leadId, request.platformUserId());
        if (existing != null) {
            return repeat(existing, leadId, request);
        }
        Touch first = null;
        Touch last = null;
        try (PreparedStatement touches = connection.prepareStatement(TOUCHES)) {
            Timestamp at = Timestamp.from(request.convertedAt());
            touches.setLong(1, leadId);
            touches.setTimestamp(2, at);
            touches.setLong(3, leadId);
            touches.setTimestamp(4, at);
            try (ResultSet rs = touches.executeQuery()) {
                while (rs.next()) {
                    Touch touch = new Touch(rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                    if ("first".equals(rs.getString(1))) {
                        first = touch;
                    } else {
                        last = touch;
                    }
                }
            }
        }
        if (first == null) {
            // Nothing led this person here that we know of: they signed up directly.
            first = new Touch(SourceType.DIRECT_SIGNUP.id(), request.convertedAt(), null, null, null, null, null);
            last = first;
        }
        long seconds = Math.max(0, Duration.between(first.occurredAt(), request.convertedAt()).getSeconds());
        Long id;
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            int i = 0;
            insert.setLong(++i, leadId);
            insert.setString(++i, request.platformUserId());
            insert.setString(++i, request.tenantId());
            insert.setTimestamp(++i, Timestamp.from(request.convertedAt()));
            for (Touch touch : List.of(first, last)) {
                insert.setString(++i, touch.sourceType());
                insert.setTimestamp(++i, Timestamp.from(touch.occurredAt()));
                insert.setString(++i, touch.utmSource());
                insert.setString(++i, touch.utmMedium());
                insert.setString(++i, touch.utmCampaign());
                insert.setString(++i, touch.utmTerm());
                insert.setString(++i, touch.utmContent());
            }
            insert.setLong(++i, seconds);
            try (ResultSet rs = insert.executeQuery()) {
                id = rs.next() ? rs.getLong(1) : null;
            }
        }
        if (id == null) {
            // A concurrent request recorded a conversion for this platform user between our check and insert.
            return repeat(find(connection, leadId, request.platformUserId()), leadId, request);
        }
        Conversion conversion = findById(connection, id);
        ObjectNode data = JsonNodeFactory.instance.objectNode()
                .put("conversion_id", id)
                .put("platform_user_id", request.platformUserId())
                .put("tenant_id", request.tenantId());
        FunnelEvent converted = writer.write(connection, List.of(new NewFunnelEvent(
                SourceType.fromId(first.sourceType()).orElseThrow(), EventType.CONVERTED, request.platformUserId(),
                request.convertedAt(), new Person(conversion.email(), null, null, null), Utm.NONE, data))).get(0).event();
        markDirectSignup(connection, leadId, converted);
        tieRedeemedInvitation(connection, leadId, id);
        return new Outcome(true, conversion);
    }

    /**
     * A conversion is not a marketing touch, except for a lead that has none: then the signup itself is
     * where the lead came from. An older event backfilled later still takes the first touch (the trigger).
     */
    private static void markDirectSignup(Connection connection, long leadId, FunnelEvent converted) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE leads SET first_touch_event_id = ?, first_touch_source = ?, first_touch_at = ?,
                                 last_touch_event_id = ?, last_touch_source = ?, last_touch_at = ?, updated_at = now()
                WHERE id = ? AND first_touch_at IS NULL""")) {
            Timestamp at = Timestamp.from(converted.occurredAt());
            update.setLong(1, converted.id());
            update.setString(2, converted.sourceType());
            update.setTimestamp(3, at);
            update.setLong(4, converted.id());
            update.setString(5, converted.sourceType());
            update.setTimestamp(6, at);
            update.setLong(7, leadId);
            update.executeUpdate();
        }
    }

    /** A person invited through the signup queue converts as that invitation: the funnel ends where it began. */
    private static void tieRedeemedInvitation(Connection connection, long leadId, long conversionId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE invitations i SET conversion_id = ? FROM signup_queue q
                WHERE q.id = i.queue_id AND q.lead_id = ? AND i.status = 'redeemed' AND i.conversion_id IS NULL""")) {
            update.setLong(1, conversionId);
            update.setLong(2, leadId);
            update.executeUpdate();
        }
    }

    private static Outcome repeat(Conversion existing, long leadId, Request request) {
        if (existing.leadId() != leadId) {
            throw new Conflict("platform_user_id",
                    "platform_user_id " + request.platformUserId() + " has already converted as another lead");
        }
        if (!Objects.equals(existing.platformUserId(), request.platformUserId())) {
            throw new Conflict("platform_user_id",
                    "this lead has already converted as another platform user");
        }
        return new Outcome(false, existing);
    }

    /** Finds or creates the lead and locks it, so that two conversions of one lead take turns. */
    private long lockLead(Connection connection, Request request) throws SQLException {
        if (request.leadId() != null) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT email FROM leads WHERE id = ? FOR UPDATE")) {
                select.setLong(1, request.leadId());
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFound("lead_id", "no lead has id " + request.leadId());
                    }
                    if (request.email() != null && !request.email().equals(rs.getString(1))) {
                        throw new InvalidInput("email", "email does not belong to lead_id " + request.leadId());
                    }
                    return request.leadId();
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO leads (email) VALUES (?) ON CONFLICT (email) DO NOTHING")) {
            insert.setString(1, request.email());
            insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM leads WHERE email = ? FOR UPDATE")) {
            select.setString(1, request.email());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Conversion find(Connection connection, long leadId, String platformUserId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + CONVERSION_COLUMNS
                + " FROM funnel_conversions c JOIN leads l ON l.id = c.lead_id"
                + " WHERE c.lead_id = ? OR c.platform_user_id = ? ORDER BY (c.lead_id = ?) DESC LIMIT 1")) {
            select.setLong(1, leadId);
            select.setString(2, platformUserId);
            select.setLong(3, leadId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        }
    }

    private Conversion findById(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + CONVERSION_COLUMNS
                + " FROM funnel_conversions c JOIN leads l ON l.id = c.lead_id WHERE c.id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return read(rs);
            }
        }
    }

    private static Conversion read(ResultSet rs) throws SQLException {
        return new Conversion(rs.getLong("id"), rs.getLong("lead_id"), rs.getString("email"),
                rs.getString("platform_user_id"), rs.getString("tenant_id"),
                rs.getTimestamp("converted_at").toInstant(), touch(rs, "first_touch_"), touch(rs, "last_touch_"),
                rs.getLong("seconds_to_conversion"), rs.getTimestamp("created_at").toInstant());
    }

    private static Touch touch(ResultSet rs, String prefix) throws SQLException {
        return new Touch(rs.getString(prefix + "source"), rs.getTimestamp(prefix + "at").toInstant(),
                rs.getString(prefix + "utm_source"), rs.getString(prefix + "utm_medium"),
                rs.getString(prefix + "utm_campaign"), rs.getString(prefix + "utm_term"),
                rs.getString(prefix + "utm_content"));
    }
}
