package com.engarde.signupsync.privacy;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.funnel.Emails;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the service keeps a person: the rows found by their lead, by the SHA-256 that the email-list tables key
 * on, and the free text (raw webhook bodies, failed records, usage users' emails, insight narratives) that
 * mentions their email in any letter case. Subject access reads these; an erasure rewrites them.
 */
final class PersonData {

    /** Free text is read in pages of this many rows, so a scan holds little in memory whatever the table's size. */
    private static final int PAGE = 500;

    private final ObjectMapper json;

    PersonData(ObjectMapper json) {
        this.json = json;
    }

    record Lead(long id, String email, String firstName, String lastName, String phone) {
    }

    Optional<Lead> lead(Connection connection, String email, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, email, first_name, last_name, phone FROM leads WHERE email = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, email);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Lead(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5))) : Optional.empty();
            }
        }
    }

    /** The rows of one query as a JSON array (PostgreSQL's own row-to-JSON: every column, as stored). */
    ArrayNode rows(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb)::text FROM (" + sql + ") t")) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return (ArrayNode) json.readTree(rs.getString(1));
            }
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL answered JSON that does not parse", e);
        }
    }

    /** A stored webhook delivery whose raw body mentions the person. */
    record Delivery(long id, String sourceType, String deliveryKey, String status, String receivedAt, String body) {
    }

    List<Delivery> deliveries(Connection connection, String email) throws SQLException {
        List<Delivery> found = new ArrayList<>();
        long after = 0;
        while (true) {
            int read = 0;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT id, source_type, delivery_key, status, received_at::text, raw_body, reason FROM webhook_deliveries
                    WHERE id > ? ORDER BY id LIMIT ?""")) {
                select.setLong(1, after);
                select.setInt(2, PAGE);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        after = rs.getLong(1);
                        String body = text(rs.getBytes(6));
                        if (Emails.mentions(body, email) || Emails.mentions(rs.getString(3), email)
                                || Emails.mentions(rs.getString(7), email)) {
                            found.add(new Delivery(after, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), body));
                        }
                    }
                }
            }
            if (read < PAGE) {
                return found;
            }
        }
    }

    /** A sync run whose failed records (or error) mention the person or one of their records. */
    record FailedRun(long runId, String sourceType, String startedAt, ArrayNode mentioning, ArrayNode others,
                     boolean errorMentions) {
    }

    List<FailedRun> failedRecords(Connection connection, String email, List<String[]> externalIds) throws SQLException {
        List<FailedRun> found = new ArrayList<>();
        long after = 0;
        while (true) {
            int read = 0;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT id, source_type, started_at::text, failed_records::text, error_message FROM funnel_sync_logs
                    WHERE id > ? AND (failed_records <> '[]'::jsonb OR error_message IS NOT NULL) ORDER BY id LIMIT ?""")) {
                select.setLong(1, after);
                select.setInt(2, PAGE);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        after = rs.getLong(1);
                        String source = rs.getString(2);
                        ArrayNode mentioning = json.createArrayNode();
                        ArrayNode others = json.createArrayNode();
                        for (JsonNode record : json.readTree(rs.getString(4))) {
                            String id = record.path("external_id").asText(record.path("externalId").asText(""));
                            boolean ours = Emails.mentions(record.toString(), email)
                                    || externalIds.stream().anyMatch(k -> k[0].equals(source) && k[1].equals(id));
                            (ours ? mentioning : others).add(record);
                        }
                        boolean errorMentions = Emails.mentions(rs.getString(5), email);
                        if (!mentioning.isEmpty() || errorMentions) {
                            found.add(new FailedRun(after, source, rs.getString(3), mentioning, others, errorMentions));
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("failed_records is not JSON", e);
                }
            }
            if (read < PAGE) {
                return found;
            }
        }
    }

    /** The platform users (usage records name users) whose email is the person's. */
    List<UUID> usageUsers(Connection connection, String email) throws SQLException {
        List<UUID> found = new ArrayList<>();
        UUID after = new UUID(Long.MIN_VALUE, Long.MIN_VALUE);
        boolean first = true;
        while (true) {
            int read = 0;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, email FROM platform_users WHERE email IS NOT NULL" + (first ? "" : " AND id > ?")
                            + " ORDER BY id LIMIT " + PAGE)) {
                if (!first) {
                    select.setObject(1, after);
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        after = rs.getObject(1, UUID.class);
                        if (email.equals(Emails.normalize(rs.getString(2)))) {
                            found.add(after);
                        }
                    }
                }
            }
            first = false;
            if (read < PAGE) {
                return found;
            }
        }
    }

    /** Cached insight narratives (written from appointments) that name the person by email or full name. */
    List<String> narratives(Connection connection, String email, Optional<Lead> lead) throws SQLException {
        List<String> names = new ArrayList<>();
        names.add(email);
        lead.filter(l -> l.firstName() != null && l.lastName() != null)
                .ifPresent(l -> names.add(Emails.normalize(l.firstName() + " " + l.lastName())));
        List<String> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT cache_key, narrative FROM insight_narratives");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String narrative = rs.getString(2);
                if (names.stream().anyMatch(n -> Emails.mentions(narrative, n))) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    /** The SHA-256 the email-list tables key a person by (sources.brevo). */
    static byte[] listKey(String email) {
        return Sha256.digest(email);
    }

    /** Bytes as UTF-8 text where they are valid UTF-8, else as ISO-8859-1 (every byte a character), for searching. */
    static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    ObjectMapper json() {
        return json;
    }
}
