package com.engarde.signupsync.privacy;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AuditLog;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.funnel.Emails;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.signup.Suppressions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A person's subject access: everything the service holds about one email, read in one snapshot. Audited with the
 * counts it answered, never the email (the audit log outlives an erasure).
 */
@Singleton
public class SubjectAccess {

    /** Usage records are many per user: the newest this many are listed, all are counted. */
    static final int USAGE_RECORDS = 1000;

    private final Database database;
    private final AuditLog audit;
    private final Suppressions suppressions;
    private final PersonData data;

    public SubjectAccess(Database database, AuditLog audit, Suppressions suppressions, ObjectMapper json) {
        this.database = database;
        this.audit = audit;
        this.suppressions = suppressions;
        this.data = new PersonData(json);
    }

    /** The email query parameter as the one normal form, or a 400 naming it. */
    public static String person(String email) {
        if (email == null || email.isBlank()) {
            throw new InvalidInput("email", "email is required");
        }
        String normalized = Emails.normalize(email);
        if (!Emails.isValid(normalized)) {
            throw new InvalidInput("email", "email must be an email address");
        }
        return normalized;
    }

    public ObjectNode find(AdminPrincipal admin, String rawEmail) {
        String email = person(rawEmail);
        return database.transaction(connection -> {
            ObjectNode answer = read(connection, email);
            Map<String, Object> summary = new LinkedHashMap<>();
            answer.fields().forEachRemaining(f -> {
                if (f.getValue().isArray()) {
                    summary.put(f.getKey(), f.getValue().size());
                }
            });
            summary.put("lead", !answer.path("lead").isNull());
            audit.record(connection, admin, "person.access", "person", null, summary);
            return answer;
        });
    }

    ObjectNode read(Connection connection, String email) throws SQLException {
        ObjectNode answer = data.object();
        answer.put("email", email);
        Optional<PersonData.Lead> lead = data.lead(connection, email, false);
        long leadId = lead.map(PersonData.Lead::id).orElse(-1L);
        ArrayNode leads = data.rows(connection, "SELECT * FROM leads WHERE id = ?", leadId);
        answer.set("lead", leads.isEmpty() ? answer.nullNode() : leads.get(0));
        answer.set("events", data.rows(connection, """
                SELECT id, source_type, event_type, external_id, occurred_at, utm_source, utm_medium, utm_campaign,
                       utm_term, utm_content, event_data, created_at, updated_at
                FROM funnel_events WHERE lead_id = ? ORDER BY occurred_at, id""", leadId));
        answer.set("conversions", data.rows(connection, "SELECT * FROM funnel_conversions WHERE lead_id = ? ORDER BY id", leadId));
        answer.set("appointments", data.rows(connection, """
                SELECT * FROM easyappointments_appointments WHERE lead_id = ? ORDER BY appointment_id""", leadId));
        answer.set("signup_queue", data.rows(connection, "SELECT * FROM signup_queue WHERE lead_id = ? ORDER BY id", leadId));
        // The token's hash is left out: it identifies nothing about the person and is the one secret-like column.
        answer.set("invitations", data.rows(connection, """
                SELECT i.id, i.queue_id, i.status, i.expires_at, i.created_by, i.created_at, i.sent_at, i.message_id,
                       i.send_error, i.redeemed_at, i.revoked_at, i.conversion_id
                FROM invitations i JOIN signup_queue q ON q.id = i.queue_id WHERE q.lead_id = ? ORDER BY i.id""", leadId));
        ArrayNode deliveries = answer.putArray("webhook_deliveries");
        for (PersonData.Delivery d : data.deliveries(connection, email)) {
            ObjectNode row = deliveries.addObject();
            row.put("id", d.id()).put("source_type", d.sourceType()).put("delivery_key", d.deliveryKey())
                    .put("status", d.status()).put("received_at", d.receivedAt()).put("raw_body", d.body());
        }
        ObjectNode list = answer.putObject("email_list");
        byte[] key = PersonData.listKey(email);
        list.set("sent", data.rows(connection, """
                SELECT list_id, encode(content_hash, 'hex') AS content_hash, sent_at FROM email_list_contacts
                WHERE email_hash = ? ORDER BY list_id""", (Object) key));
        ArrayNode held = data.rows(connection, """
                SELECT blocklisted, list_ids, unsubscribed_list_ids, gone, seen_at FROM brevo_contacts WHERE email_hash = ?""",
                (Object) key);
        list.set("brevo_contact", held.isEmpty() ? list.nullNode() : held.get(0));
        List<UUID> users = data.usageUsers(connection, email);
        answer.set("usage_users", data.rows(connection,
                "SELECT * FROM platform_users WHERE id = ANY(?) ORDER BY id", uuids(connection, users)));
        answer.put("usage_record_count", usageCount(connection, users));
        answer.set("usage_records", data.rows(connection, "SELECT * FROM usage_metrics WHERE user_id = ANY(?)"
                + " ORDER BY occurred_at DESC, id DESC LIMIT " + USAGE_RECORDS, uuids(connection, users)));
        List<String[]> ids = externalIds(connection, leadId);
        ArrayNode failed = answer.putArray("sync_failed_records");
        for (PersonData.FailedRun run : data.failedRecords(connection, email, ids)) {
            ObjectNode row = failed.addObject();
            row.put("run_id", run.runId()).put("source_type", run.sourceType()).put("started_at", run.startedAt());
            row.set("records", run.mentioning());
            row.put("error_message_mentions", run.errorMentions());
        }
        answer.put("suppressed", suppressions.isSuppressed(connection, email));
        return answer;
    }

    /** (source_type, external_id) of every event of the lead: the records a sync logged about them. */
    static List<String[]> externalIds(Connection connection, long leadId) throws SQLException {
        List<String[]> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT DISTINCT source_type, external_id FROM funnel_events WHERE lead_id = ?")) {
            select.setLong(1, leadId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        return ids;
    }

    static java.sql.Array uuids(Connection connection, List<UUID> ids) throws SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }

    private static long usageCount(Connection connection, List<UUID> users) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM usage_metrics WHERE user_id = ANY(?)")) {
            count.setArray(1, uuids(connection, users));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
