package com.engarde.signupsync.appointments;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AuditLog;
import com.engarde.signupsync.failure.Conflict;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The synced appointments: written by the EasyAppointments sync inside its page's transaction, and given an
 * outcome by an admin. The funnel's {@code appointment_completed} follows the outcome, here and only here:
 * an appointment whose outcome is completed has the event (at its end), any other has none, so a no-show is
 * not an attendance and a past appointment nobody resolved is not one yet.
 */
@Singleton
public class Appointments {

    /** The declared source these appointments come from (named here, not imported, so the vendor package stays above this one). */
    private static final SourceType EASYAPPOINTMENTS = SourceType.fromId("easyappointments").orElseThrow();

    public static final long MAX_BODY_BYTES = 4 * 1024;

    /** The outcome as the views show it: a past appointment still only booked is unresolved. */
    static final String OUTCOME_NOW = "CASE WHEN a.outcome = 'booked' AND a.end_at <= ? THEN 'unresolved' ELSE a.outcome END";

    static final String VIEW_COLUMNS = """
            a.appointment_id, a.booked_at, a.start_at, a.end_at, a.timezone, a.status, a.recorded_outcome,
            a.service_id, a.service_name, a.service_price, a.service_currency, a.service_duration, a.provider_id,
            a.customer_id, a.customer_email, a.customer_first_name, a.customer_last_name, a.customer_phone,
            """ + OUTCOME_NOW + " AS outcome_now";

    private static final String UPSERT = """
            INSERT INTO easyappointments_appointments AS a (appointment_id, booked_at, start_at, end_at, timezone, status,
                status_outcome, service_id, service_name, service_price, service_currency, service_duration, provider_id,
                customer_id, customer_email, customer_first_name, customer_last_name, customer_phone, synced_at, lead_id)
            SELECT u.*, l.id FROM unnest(?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[],
                ?::text[], ?::bigint[], ?::text[], ?::numeric[], ?::text[], ?::integer[], ?::bigint[],
                ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                AS u(id, booked, start_at, end_at, zone, status, outcome, service_id, service_name, price, currency,
                     duration, provider_id, customer_id, email, first_name, last_name, phone, synced)
            -- The page's booked events were written first in this transaction: every customer is a lead.
            JOIN leads l ON l.email = u.email
            ON CONFLICT (appointment_id) DO UPDATE SET
                booked_at = EXCLUDED.booked_at, start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at,
                timezone = EXCLUDED.timezone, status = EXCLUDED.status, status_outcome = EXCLUDED.status_outcome,
                service_id = EXCLUDED.service_id, service_name = EXCLUDED.service_name,
                service_price = EXCLUDED.service_price, service_currency = EXCLUDED.service_currency,
                service_duration = EXCLUDED.service_duration, provider_id = EXCLUDED.provider_id,
                customer_id = EXCLUDED.customer_id, customer_email = EXCLUDED.customer_email,
                customer_first_name = EXCLUDED.customer_first_name, customer_last_name = EXCLUDED.customer_last_name,
                customer_phone = EXCLUDED.customer_phone, synced_at = EXCLUDED.synced_at, lead_id = EXCLUDED.lead_id
            RETURNING a.appointment_id, a.outcome, a.end_at, a.status
            """;

    private final Database database;
    private final FunnelEventWriter events;
    private final AuditLog audit;
    private final JsonBodies bodies;
    private final Clock clock;

    public Appointments(Database database, FunnelEventWriter events, AuditLog audit, JsonBodies bodies, Clock clock) {
        this.database = database;
        this.events = events;
        this.audit = audit;
        this.bodies = bodies;
        this.clock = clock;
    }

    /** One appointment as an admin sees it; {@code outcome} is one of {@link Outcome}'s ids. */
    public record View(long id, Instant bookedAt, Instant start, Instant end, String timezone, String status,
                       String outcome, boolean outcomeRecorded, ServiceView service, @Nullable Long providerId,
                       CustomerView customer) {
    }

    public record ServiceView(@Nullable Long id, @Nullable String name, @Nullable BigDecimal price,
                              @Nullable String currency, @Nullable Integer durationMinutes) {
    }

    public record CustomerView(long id, String email, @Nullable String firstName, @Nullable String lastName,
                               @Nullable String phone) {
    }

    /**
     * Writes a sync page's appointments inside its transaction, and their funnel completion; each customer's
     * lead must exist (the page's events wrote it).
     */
    public void save(Connection connection, List<Appointment> appointments) throws SQLException {
        if (appointments.isEmpty()) {
            return;
        }
        Map<Long, Appointment> byId = new LinkedHashMap<>();
        appointments.forEach(a -> byId.put(a.id(), a));
        List<Appointment> list = new ArrayList<>(byId.values());
        Instant now = clock.instant();
        List<Stored> stored = new ArrayList<>(list.size());
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setArray(1, connection.createArrayOf("bigint", list.stream().map(Appointment::id).toArray(Long[]::new)));
            upsert.setArray(2, text(connection, list, a -> a.bookedAt().toString()));
            upsert.setArray(3, text(connection, list, a -> a.startAt().toString()));
            upsert.setArray(4, text(connection, list, a -> a.endAt().toString()));
            upsert.setArray(5, text(connection, list, Appointment::timezone));
            upsert.setArray(6, text(connection, list, Appointment::status));
            upsert.setArray(7, text(connection, list, a -> a.statusOutcome().id()));
            upsert.setArray(8, connection.createArrayOf("bigint", list.stream().map(a -> a.service().id()).toArray(Long[]::new)));
            upsert.setArray(9, text(connection, list, a -> a.service().name()));
            upsert.setArray(10, connection.createArrayOf("numeric", list.stream().map(a -> a.service().price()).toArray(BigDecimal[]::new)));
            upsert.setArray(11, text(connection, list, a -> a.service().currency()));
            upsert.setArray(12, connection.createArrayOf("integer", list.stream().map(a -> a.service().durationMinutes()).toArray(Integer[]::new)));
            upsert.setArray(13, connection.createArrayOf("bigint", list.stream().map(Appointment::providerId).toArray(Long[]::new)));
            upsert.setArray(14, connection.createArrayOf("bigint", list.stream().map(a -> a.customer().id()).toArray(Long[]::new)));
            upsert.setArray(15, text(connection, list, a -> a.customer().email()));
            upsert.setArray(16, text(connection, list, a -> a.customer().firstName()));
            upsert.setArray(17, text(connection, list, a -> a.customer().lastName()));
            upsert.setArray(18, text(connection, list, a -> a.customer().phone()));
            upsert.setArray(19, text(connection, list, a -> now.toString()));
            try (ResultSet rs = upsert.executeQuery()) {
                while (rs.next()) {
                    stored.add(new Stored(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4)));
                }
            }
        }
        followOutcomes(connection, stored);
    }

    /** Deletes appointments the sync found deleted at the source. */
    public void remove(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM easyappointments_appointments WHERE appointment_id = ANY(?::bigint[])")) {
            delete.setArray(1, connection.createArrayOf("bigint", ids.toArray(Long[]::new)));
            delete.executeUpdate();
        }
    }

    /**
     * Records what an admin saw happen ({@code completed} or {@code no_show}), audited as
     * {@code appointment.outcome}. A cancelled appointment gets none, nor one that has not started.
     */
    public View recordOutcome(AdminPrincipal admin, String rawId, byte[] body) {
        long id = JsonFields.positiveId("id", rawId);
        ObjectNode request = bodies.object(body, MAX_BODY_BYTES);
        String value = JsonFields.requiredText(request, "outcome", 32);
        Outcome outcome = Outcome.fromId(value).filter(o -> o == Outcome.COMPLETED || o == Outcome.NO_SHOW)
                .orElseThrow(() -> new InvalidInput("outcome", "outcome must be completed or no_show"));
        Instant now = clock.instant();
        return database.transaction(connection -> {
            String before;
            String statusOutcome;
            Instant start;
            try (PreparedStatement lock = connection.prepareStatement("""
                    SELECT status_outcome, recorded_outcome, start_at FROM easyappointments_appointments
                    WHERE appointment_id = ? FOR UPDATE""")) {
                lock.setLong(1, id);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFound("id", "no synced appointment has id " + id);
                    }
                    statusOutcome = rs.getString(1);
                    before = rs.getString(2);
                    start = rs.getTimestamp(3).toInstant();
                }
            }
            if (Outcome.CANCELLED.id().equals(statusOutcome)) {
                throw new Conflict("outcome", "appointment " + id + " is cancelled; a cancelled appointment has no outcome");
            }
            if (start.isAfter(now)) {
                throw new Conflict("outcome", "appointment " + id + " has not started yet");
            }
            Stored stored;
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE easyappointments_appointments SET recorded_outcome = ?, recorded_at = ?
                    WHERE appointment_id = ? RETURNING appointment_id, outcome, end_at, status""")) {
                update.setString(1, outcome.id());
                update.setTimestamp(2, Timestamp.from(now));
                update.setLong(3, id);
                try (ResultSet rs = update.executeQuery()) {
                    rs.next();
                    stored = new Stored(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4));
                }
            }
            followOutcomes(connection, List.of(stored));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("outcome", outcome.id());
            summary.put("previous", before);
            audit.record(connection, admin, "appointment.outcome", "easyappointments_appointment", Long.toString(id), summary);
            return find(connection, id, now);
        });
    }

    /** One appointment, or {@link NotFound}. */
    public View get(String rawId) {
        long id = JsonFields.positiveId("id", rawId);
        Instant now = clock.instant();
        return database.read(connection -> find(connection, id, now));
    }

    private View find(Connection connection, long id, Instant now) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + VIEW_COLUMNS + " FROM easyappointments_appointments a WHERE a.appointment_id = ?")) {
            select.setTimestamp(1, Timestamp.from(now));
            select.setLong(2, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFound("id", "no synced appointment has id " + id);
                }
                return view(rs);
            }
        }
    }

    /** Reads a row selected with {@link #VIEW_COLUMNS}. */
    static View view(ResultSet rs) throws SQLException {
        return new View(rs.getLong("appointment_id"), rs.getTimestamp("booked_at").toInstant(),
                rs.getTimestamp("start_at").toInstant(), rs.getTimestamp("end_at").toInstant(), rs.getString("timezone"),
                rs.getString("status"), rs.getString("outcome_now"), rs.getString("recorded_outcome") != null,
                new ServiceView(rs.getObject("service_id", Long.class), rs.getString("service_name"),
                        rs.getBigDecimal("service_price"), rs.getString("service_currency"),
                        rs.getObject("service_duration", Integer.class)),
                rs.getObject("provider_id", Long.class),
                new CustomerView(rs.getLong("customer_id"), rs.getString("customer_email"),
                        rs.getString("customer_first_name"), rs.getString("customer_last_name"),
                        rs.getString("customer_phone")));
    }

    private record Stored(long id, String outcome, Instant end, String status) {
    }

    /** The funnel's completion for these appointments: present exactly when the outcome is completed. */
    private void followOutcomes(Connection connection, List<Stored> stored) throws SQLException {
        List<FunnelEventWriter.FollowUp> completed = new ArrayList<>();
        List<String> notCompleted = new ArrayList<>();
        for (Stored s : stored) {
            if (Outcome.COMPLETED.id().equals(s.outcome())) {
                ObjectNode data = JsonNodeFactory.instance.objectNode();
                data.put("appointment_id", s.id());
                data.put("status", s.status());
                data.put("outcome", s.outcome());
                data.put("end", s.end().toString());
                completed.add(new FunnelEventWriter.FollowUp(Long.toString(s.id()), EventType.APPOINTMENT_COMPLETED, s.end(), data));
            } else {
                notCompleted.add(Long.toString(s.id()));
            }
        }
        events.withdraw(connection, EASYAPPOINTMENTS, EventType.APPOINTMENT_COMPLETED, notCompleted);
        events.writeFollowUps(connection, EASYAPPOINTMENTS, completed);
    }

    private static <T> java.sql.Array text(Connection connection, List<T> items, Function<T, String> field) throws SQLException {
        String[] values = new String[items.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = field.apply(items.get(i));
        }
        return connection.createArrayOf("text", values);
    }
}
