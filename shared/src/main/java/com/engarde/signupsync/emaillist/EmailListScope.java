package com.engarde.signupsync.emaillist;

import com.engarde.signupsync.failure.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Who one email-list run sends, and to which list: every lead ({@code all}, the daily sync), the leads a source
 * brought in a range of UTC days ({@code source}: for EasyAppointments its bookers by appointment start, not
 * cancelled; for the others their funnel events), or the platform users, leads converted in the range
 * ({@code platform_users}). The run carries it in its checkpoint, so that a continuation sends what its first
 * invocation was asked to.
 */
public record EmailListScope(Kind kind, @Nullable String sourceType, @Nullable LocalDate dateFrom,
                             @Nullable LocalDate dateTo, long listId) {

    public static final String EASYAPPOINTMENTS = "easyappointments";

    public enum Kind {
        ALL, SOURCE, PLATFORM_USERS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind fromId(String id) {
            for (Kind kind : values()) {
                if (kind.id().equals(id)) {
                    return kind;
                }
            }
            throw new InvalidInput("scope", "scope must be one of all, source, platform_users");
        }
    }

    public EmailListScope {
        if (listId <= 0) {
            throw new IllegalArgumentException("a list id is positive");
        }
        if ((kind == Kind.SOURCE) != (sourceType != null)) {
            throw new IllegalArgumentException("a source scope, and only one, names its source");
        }
        if (kind != Kind.ALL && (dateFrom == null || dateTo == null)) {
            throw new IllegalArgumentException("a source or platform-users scope has a range");
        }
    }

    public static EmailListScope all(long listId) {
        return new EmailListScope(Kind.ALL, null, null, null, listId);
    }

    /** The scope as the run's checkpoint keeps it. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("scope", kind.id()).put("list_id", listId);
        if (sourceType != null) {
            node.put("source_type", sourceType);
        }
        if (dateFrom != null) {
            node.put("date_from", dateFrom.toString()).put("date_to", dateTo.toString());
        }
        return node;
    }

    /** The scope a checkpoint holds; {@code all} of {@code defaultList} for one without (a run started elsewhere). */
    public static EmailListScope fromJson(@Nullable JsonNode node, long defaultList) {
        if (node == null || !node.hasNonNull("scope")) {
            return all(defaultList);
        }
        Kind kind = Kind.fromId(node.path("scope").asText());
        LocalDate from = node.hasNonNull("date_from") ? LocalDate.parse(node.get("date_from").asText()) : null;
        LocalDate to = node.hasNonNull("date_to") ? LocalDate.parse(node.get("date_to").asText()) : null;
        return new EmailListScope(kind, node.path("source_type").asText(null), from, to,
                node.path("list_id").asLong(defaultList));
    }

    /** A condition on {@code leads l}, its parameters set by {@link #bind} from {@code index}. */
    public String condition() {
        return switch (kind) {
            case ALL -> "true";
            case SOURCE -> EASYAPPOINTMENTS.equals(sourceType)
                    ? "EXISTS (SELECT 1 FROM easyappointments_appointments sa WHERE sa.lead_id = l.id"
                      + " AND sa.start_at >= ? AND sa.start_at < ? AND sa.outcome <> 'cancelled')"
                    : "EXISTS (SELECT 1 FROM funnel_events se WHERE se.lead_id = l.id AND se.source_type = ?"
                      + " AND se.occurred_at >= ? AND se.occurred_at < ?)";
            case PLATFORM_USERS -> "EXISTS (SELECT 1 FROM funnel_conversions sc WHERE sc.lead_id = l.id"
                    + " AND sc.converted_at >= ? AND sc.converted_at < ?)";
        };
    }

    /** Sets the condition's parameters from {@code index}; answers the next free index. */
    public int bind(PreparedStatement statement, int index) throws SQLException {
        if (kind == Kind.ALL) {
            return index;
        }
        if (kind == Kind.SOURCE && !EASYAPPOINTMENTS.equals(sourceType)) {
            statement.setString(index++, sourceType);
        }
        statement.setTimestamp(index++, Timestamp.from(dateFrom.atStartOfDay(ZoneOffset.UTC).toInstant()));
        statement.setTimestamp(index++, Timestamp.from(dateTo.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        return index;
    }
}
