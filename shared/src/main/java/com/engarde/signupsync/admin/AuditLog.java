package com.engarde.signupsync.admin;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.InputText;
import io.swagger.v3.oas.annotations.media.Schema;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Map;

/**
 * The audit log of admin writes ({@code platform_admin_actions}). A writer calls {@link #record} with the
 * connection of its own transaction, so the write and its audit row commit together or not at all:
 * <pre>{@code
 * database.transaction(c -> {
 *     ... the write ...
 *     audit.record(c, admin, "brand.create", "platform_brand", id, Map.of("name_changed", true));
 *     return result;
 * });
 * }</pre>
 * The summary holds what changed in words and field names; never a secret or a credential value.
 */
@Singleton
public class AuditLog {

    /** One audit row as the listing answers it. */
    public record Entry(long id, String actorSubject, @Nullable String actorEmail, String action, String targetType,
                        @Nullable String targetId, @Nullable String requestId,
                        @Schema(implementation = Object.class, description = "a JSON object") JsonNode summary, Instant occurredAt) {
    }

    /** The listing's filters; every one optional. {@code before} is the id the previous page ended at. */
    public record Filter(@Nullable String actor, @Nullable String action, @Nullable String targetType,
                         @Nullable String targetId, @Nullable Instant from, @Nullable Instant to,
                         @Nullable Long before, int limit) {
    }

    /** The filters from query parameters; invalid input naming the parameter when one does not parse. */
    public static Filter filter(@Nullable String actor, @Nullable String action, @Nullable String targetType,
                                @Nullable String targetId, @Nullable String from, @Nullable String to,
                                @Nullable String before, @Nullable String limit) {
        int pageSize = limit == null ? 50 : positive("limit", limit, 500).intValue();
        return new Filter(blankToNull(actor, "actor"), blankToNull(action, "action"), blankToNull(targetType, "target_type"),
                blankToNull(targetId, "target_id"), time("from", from), time("to", to),
                before == null ? null : positive("before", before, Long.MAX_VALUE), pageSize);
    }

    private static String blankToNull(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = InputText.normalize(value);
        String problem = InputText.problem(text, false);
        if (problem != null) {
            throw new InvalidInput(name, name + " " + problem);
        }
        if (InputText.length(text) > 254) {
            throw new InvalidInput(name, name + " must be at most 254 characters");
        }
        return text;
    }

    private static Long positive(String name, String value, long max) {
        Long parsed = InputText.asciiNumber(value);
        if (parsed != null && parsed >= 1 && parsed <= max) {
            return parsed;
        }
        throw new InvalidInput(name, name + " must be a whole number in ASCII digits from 1 to " + max);
    }

    private static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            java.time.OffsetDateTime time = java.time.OffsetDateTime.parse(value.strip());
            // Years 1 to 9999 only: PostgreSQL would refuse a year 0 or one of 300000, and nothing was logged then.
            if (time.getYear() >= 1 && time.getYear() <= 9999) {
                return time.toInstant();
            }
        } catch (java.time.format.DateTimeParseException e) {
            // answered below
        }
        throw new InvalidInput(name, name + " must be an ISO-8601 date-time with an offset between the years 1"
                + " and 9999, such as 2026-03-01T10:00:00Z");
    }

    /** A page, newest first; {@code nextBefore} is null on the last page. */
    public record Page(List<Entry> actions, @Nullable Long nextBefore) {
    }

    private final Database database;
    private final ObjectMapper json;

    public AuditLog(Database database, ObjectMapper json) {
        this.database = database;
        this.json = json;
    }

    /** Writes one audit row inside the caller's transaction. */
    public void record(Connection connection, AdminPrincipal admin, String action, String targetType,
                       @Nullable String targetId, Map<String, ?> summary) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO platform_admin_actions
                    (actor_subject, actor_email, action, target_type, target_id, request_id, summary)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
            insert.setString(1, admin.subject());
            insert.setString(2, admin.email());
            insert.setString(3, action);
            insert.setString(4, targetType);
            insert.setString(5, targetId);
            insert.setString(6, admin.requestId());
            insert.setString(7, json.writeValueAsString(summary));
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit summary is not serializable", e);
        }
    }

    /** Newest first, paged by id so that rows written while paging neither repeat nor go missing. */
    public Page list(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT id, actor_subject, actor_email, action, target_type, target_id,"
                + " request_id, summary::text, occurred_at FROM platform_admin_actions WHERE true");
        List<Object> params = new ArrayList<>();
        if (filter.actor() != null) {
            sql.append(" AND (actor_subject = ? OR lower(actor_email) = lower(?))");
            params.add(filter.actor());
            params.add(filter.actor());
        }
        condition(sql, params, " AND action = ?", filter.action());
        condition(sql, params, " AND target_type = ?", filter.targetType());
        condition(sql, params, " AND target_id = ?", filter.targetId());
        condition(sql, params, " AND occurred_at >= ?", filter.from() == null ? null : Timestamp.from(filter.from()));
        condition(sql, params, " AND occurred_at < ?", filter.to() == null ? null : Timestamp.from(filter.to()));
        condition(sql, params, " AND id < ?", filter.before());
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(filter.limit() + 1);
        return database.read(c -> {
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    select.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), parse(rs.getString(8)),
                                rs.getTimestamp(9).toInstant()));
                    }
                }
            }
            boolean more = entries.size() > filter.limit();
            List<Entry> page = more ? entries.subList(0, filter.limit()) : entries;
            return new Page(List.copyOf(page), more ? page.get(page.size() - 1).id() : null);
        });
    }

    private static void condition(StringBuilder sql, List<Object> params, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            params.add(value);
        }
    }

    private JsonNode parse(String summary) {
        try {
            return json.readTree(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored audit summary is not JSON", e);
        }
    }
}
