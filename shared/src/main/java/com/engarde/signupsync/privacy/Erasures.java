package com.engarde.signupsync.privacy;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AuditLog;
import com.engarde.signupsync.crypto.PersonKey;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.funnel.Emails;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.signup.Suppressions;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Erasing a person: in one transaction the person goes on the suppression list (keyed hash) and every table that
 * holds them is anonymised or cleared, keeping the rows the funnel counts (the lead, its events and conversions,
 * appointments) so that every analytics answer stays the same; then each destination ({@link ContactErasure})
 * deletes them, each a step of its own. A destination that fails leaves the erasure {@code running} with the step
 * {@code failed} and its cause; asking for the same person's erasure again runs what is left (the service keeps
 * no copy of the email to retry by itself). What is erased cannot be restored.
 */
@Singleton
public class Erasures {

    /** One step's progress: a table (rows touched, over every run of this erasure) or a destination. */
    public record Step(String step, String kind, String status, int rows, int attempts, @Nullable String lastError,
                       Instant updatedAt) {
    }

    /** An erasure and its steps; {@code done} when every step is. */
    public record Progress(long id, String status, Instant requestedAt, @Nullable Instant finishedAt, List<Step> steps) {
    }

    private final Database database;
    private final AuditLog audit;
    private final Suppressions suppressions;
    private final PersonKey keys;
    private final List<ContactErasure> destinations;
    private final PersonData data;

    public Erasures(Database database, AuditLog audit, Suppressions suppressions, PersonKey keys,
                    List<ContactErasure> destinations, ObjectMapper json) {
        this.database = database;
        this.audit = audit;
        this.suppressions = suppressions;
        this.keys = keys;
        this.destinations = List.copyOf(destinations);
        this.data = new PersonData(json);
    }

    /** Erases the person (or resumes their erasure) and answers its progress. */
    public Progress erase(AdminPrincipal admin, String rawEmail) {
        String email = SubjectAccess.person(rawEmail);
        long id = database.transaction(connection -> {
            long erasure = start(connection, email, admin);
            suppressions.add(connection, email, Suppressions.Reason.ERASURE);
            Map<String, Integer> tables = eraseTables(connection, email);
            tables.put("suppressed_emails", 1);
            for (Map.Entry<String, Integer> table : tables.entrySet()) {
                step(connection, erasure, "table." + table.getKey(), "table", "done", table.getValue(), null);
            }
            for (ContactErasure destination : destinations) {
                step(connection, erasure, "destination." + destination.destination(), "destination", "pending", 0, null);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("rows", tables.values().stream().mapToInt(Integer::intValue).sum());
            summary.put("destinations", destinations.size());
            audit.record(connection, admin, "person.erase", "erasure", Long.toString(erasure), summary);
            return erasure;
        });
        for (ContactErasure destination : destinations) {
            String step = "destination." + destination.destination();
            boolean pending = database.read(connection -> stepStatus(connection, id, step)).map(s -> !s.equals("done")).orElse(true);
            if (!pending) {
                continue;
            }
            String error = null;
            try {
                destination.erase(email);
            } catch (ContactErasureFailed e) {
                error = e.getMessage();
            }
            String failure = error;
            database.transaction(connection -> {
                step(connection, id, step, "destination", failure == null ? "done" : "failed", 0, failure);
                return null;
            });
        }
        database.transaction(connection -> {
            try (PreparedStatement finish = connection.prepareStatement("""
                    UPDATE erasures SET status = 'done', finished_at = now() WHERE id = ? AND status = 'running'
                      AND NOT EXISTS (SELECT 1 FROM erasure_steps WHERE erasure_id = ? AND status <> 'done')""")) {
                finish.setLong(1, id);
                finish.setLong(2, id);
                finish.executeUpdate();
            }
            return null;
        });
        return progress(Long.toString(id));
    }

    public Progress progress(String rawId) {
        long id;
        try {
            id = Long.parseLong(rawId);
        } catch (NumberFormatException e) {
            id = 0;
        }
        if (id < 1) {
            throw new InvalidInput("id", "id must be a positive integer");
        }
        long erasure = id;
        return database.read(connection -> {
            Progress found = null;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT status, requested_at, finished_at FROM erasures WHERE id = ?")) {
                select.setLong(1, erasure);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFound("id", "no such erasure");
                    }
                    Timestamp finished = rs.getTimestamp(3);
                    found = new Progress(erasure, rs.getString(1), rs.getTimestamp(2).toInstant(),
                            finished == null ? null : finished.toInstant(), new ArrayList<>());
                }
            }
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT step, kind, status, rows, attempts, last_error, updated_at FROM erasure_steps
                    WHERE erasure_id = ? ORDER BY kind DESC, step""")) {
                select.setLong(1, erasure);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.steps().add(new Step(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                                rs.getInt(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                    }
                }
            }
            return new Progress(found.id(), found.status(), found.requestedAt(), found.finishedAt(), List.copyOf(found.steps()));
        });
    }

    /** The person's erasure row (known by the keyed hash only), created or set running again. */
    private long start(Connection connection, String email, AdminPrincipal admin) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO erasures (email_hash, requested_by) VALUES (?, ?)
                ON CONFLICT (email_hash) DO UPDATE SET status = 'running', finished_at = NULL
                RETURNING id""")) {
            upsert.setBytes(1, keys.hash(connection, email));
            upsert.setString(2, admin.subject());
            try (ResultSet rs = upsert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void step(Connection connection, long erasure, String step, String kind, String status, int rows,
                             @Nullable String error) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO erasure_steps AS s (erasure_id, step, kind, status, rows, attempts, last_error)
                VALUES (?, ?, ?, ?, ?, CASE WHEN ? = 'destination' AND ? <> 'pending' THEN 1 ELSE 0 END, ?)
                ON CONFLICT (erasure_id, step) DO UPDATE SET
                    status = CASE WHEN EXCLUDED.status = 'pending' AND s.status = 'done' THEN s.status ELSE EXCLUDED.status END,
                    rows = s.rows + EXCLUDED.rows,
                    attempts = s.attempts + EXCLUDED.attempts,
                    last_error = CASE WHEN EXCLUDED.status = 'pending' THEN s.last_error ELSE EXCLUDED.last_error END,
                    updated_at = now()""")) {
            upsert.setLong(1, erasure);
            upsert.setString(2, step);
            upsert.setString(3, kind);
            upsert.setString(4, status);
            upsert.setInt(5, rows);
            upsert.setString(6, kind);
            upsert.setString(7, status);
            upsert.setString(8, error);
            upsert.executeUpdate();
        }
    }

    private static Optional<String> stepStatus(Connection connection, long erasure, String step) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status FROM erasure_steps WHERE erasure_id = ? AND step = ?")) {
            select.setLong(1, erasure);
            select.setString(2, step);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The database part: rows touched per table, in the order written. */
    private Map<String, Integer> eraseTables(Connection connection, String email) throws SQLException {
        Map<String, Integer> rows = new LinkedHashMap<>();
        Optional<PersonData.Lead> lead = data.lead(connection, email, true);
        long leadId = lead.map(PersonData.Lead::id).orElse(-1L);
        List<String[]> records = SubjectAccess.externalIds(connection, leadId);

        // Free text first, while the lead still carries the names a narrative may use.
        List<String> narratives = data.narratives(connection, email, lead);
        rows.put("insight_narratives", update(connection, "DELETE FROM insight_narratives WHERE cache_key = ANY(?)",
                connection.createArrayOf("text", narratives.toArray())));
        int deliveries = 0;
        for (PersonData.Delivery delivery : data.deliveries(connection, email)) {
            deliveries += update(connection, """
                    UPDATE webhook_deliveries SET raw_body = convert_to('{}', 'UTF8'), headers = '{}'::jsonb,
                        delivery_key = 'erased-' || id, status = 'ignored', reason = 'erased',
                        processed_at = coalesce(processed_at, now())
                    WHERE id = ?""", delivery.id());
        }
        rows.put("webhook_deliveries", deliveries);
        int runs = 0;
        for (PersonData.FailedRun run : data.failedRecords(connection, email, records)) {
            runs += update(connection, """
                    UPDATE funnel_sync_logs SET failed_records = ?::jsonb,
                        error_message = CASE WHEN ? THEN 'erased' ELSE error_message END
                    WHERE id = ?""", run.others().toString(), run.errorMentions(), run.runId());
        }
        rows.put("funnel_sync_logs", runs);
        List<UUID> users = data.usageUsers(connection, email);
        rows.put("platform_users", update(connection, "UPDATE platform_users SET email = NULL, updated_at = now() WHERE id = ANY(?)",
                SubjectAccess.uuids(connection, users)));
        byte[] listKey = PersonData.listKey(email);
        rows.put("email_list_contacts", update(connection, "DELETE FROM email_list_contacts WHERE email_hash = ?", (Object) listKey));
        rows.put("brevo_contacts", update(connection, "DELETE FROM brevo_contacts WHERE email_hash = ?", (Object) listKey));

        // A later sync must find the person's records new (and suppress them), not unchanged.
        int syncRecords = 0;
        for (String[] record : records) {
            syncRecords += update(connection, "DELETE FROM sync_records WHERE source_type = ? AND external_id = ?",
                    record[0], record[1]);
        }
        rows.put("sync_records", syncRecords);

        // Rows the funnel counts stay, anonymised: analytics are derived from their ids, sources and times.
        int events = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, external_id FROM funnel_events WHERE lead_id = ? ORDER BY id")) {
            select.setLong(1, leadId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String externalId = rs.getString(2);
                    // An id the source made of the address or the phone (manual events may) names the person.
                    boolean named = Emails.mentions(externalId, email)
                            || lead.map(PersonData.Lead::phone).filter(p -> !p.isBlank() && externalId.contains(p)).isPresent();
                    events += update(connection, """
                            UPDATE funnel_events SET event_data = '{}'::jsonb,
                                external_id = CASE WHEN ? THEN 'erased-' || id ELSE external_id END
                            WHERE id = ?""", named, rs.getLong(1));
                }
            }
        }
        rows.put("funnel_events", events);
        rows.put("easyappointments_appointments", update(connection, """
                UPDATE easyappointments_appointments SET customer_email = 'erased', customer_first_name = NULL,
                    customer_last_name = NULL, customer_phone = NULL
                WHERE lead_id = ?""", leadId));
        rows.put("invitations", update(connection, """
                UPDATE invitations SET status = CASE WHEN status = 'pending' THEN 'revoked' ELSE status END,
                    revoked_at = CASE WHEN status = 'pending' THEN now() ELSE revoked_at END,
                    message_id = NULL, send_error = NULL
                WHERE queue_id IN (SELECT id FROM signup_queue WHERE lead_id = ?)""", leadId));
        rows.put("signup_queue", update(connection, """
                UPDATE signup_queue SET first_name = NULL, last_name = NULL, phone = NULL,
                    status = CASE WHEN status = 'pending' THEN 'rejected' ELSE status END,
                    reason = 'erased', decided_by = coalesce(decided_by, 'erasure'), decided_at = coalesce(decided_at, now())
                WHERE lead_id = ?""", leadId));
        rows.put("leads", update(connection, """
                UPDATE leads SET email = 'erased-' || id || '@erased.invalid', first_name = NULL, last_name = NULL,
                    phone = NULL, erased_at = coalesce(erased_at, now()), updated_at = now()
                WHERE id = ?""", leadId));
        return rows;
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
