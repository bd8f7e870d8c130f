package com.engarde.signupsync.admin;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.funnel.Emails;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The designated platform admins ({@code platform_admins}): users who may use the admin routes without being
 * superusers, named by user id (the JWT's subject) or by email. Only superusers change the list; each change
 * is audited in its own transaction, a repeated add too (the audit log records requests that succeeded).
 */
@Singleton
public class PlatformAdmins {

    public static final long MAX_BODY_BYTES = 4096;

    /** One designated admin; exactly one of userId and email is set. */
    public record Admin(long id, @Nullable String userId, @Nullable String email, String addedBy, Instant createdAt) {
    }

    /** What an add did: {@code created} is false when the admin was already designated (the row is left as it was). */
    public record Added(Admin admin, boolean created) {
    }

    private static final String COLUMNS = "id, user_id, email, added_by, created_at";

    private final Database database;
    private final AuditLog audit;

    public PlatformAdmins(Database database, AuditLog audit) {
        this.database = database;
        this.audit = audit;
    }

    /** Whether a token's holder is designated, by subject or by an email the token's issuer verified (null: none). */
    public boolean designated(String subject, @Nullable String email) {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT 1 FROM platform_admins WHERE user_id = ? OR email = ? LIMIT 1")) {
                select.setString(1, subject);
                select.setString(2, Emails.normalize(email));
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    public List<Admin> list() {
        return database.read(c -> {
            List<Admin> admins = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM platform_admins ORDER BY id");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    admins.add(admin(rs));
                }
            }
            return admins;
        });
    }

    /** {@code {"user_id": "..."}} or {@code {"email": "..."}}: one of the two, read within {@link #MAX_BODY_BYTES}. */
    public Added add(AdminPrincipal by, ObjectNode object) {
        object.fieldNames().forEachRemaining(name -> {
            if (!name.equals("user_id") && !name.equals("email")) {
                throw new InvalidInput(name, "a platform admin is named by user_id or email; " + name + " is unknown");
            }
        });
        String userId = JsonFields.identifier(object, "user_id", 200);
        String email = JsonFields.text(object, "email", 254);
        if ((userId == null) == (email == null)) {
            throw new InvalidInput(userId == null ? "user_id" : "email",
                    "name the admin by exactly one of user_id or email");
        }
        if (userId != null && userId.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput("user_id", "user_id must not contain control characters");
        }
        if (email != null && !Emails.isValid(Emails.normalize(email))) {
            throw new InvalidInput("email", "email is not an email address");
        }
        return add(by, userId, email);
    }

    /** Removes by the id the listing shows; not found when there is none. */
    public Admin remove(AdminPrincipal by, String id) {
        Long parsed = InputText.asciiNumber(id);
        if (parsed == null || parsed <= 0) {
            throw new InvalidInput("id", "id must be a positive integer in ASCII digits");
        }
        return remove(by, parsed).orElseThrow(() -> new NotFound("id", "no platform admin has id " + parsed));
    }

    /** Designates a user by id or email (exactly one non-null); adding one twice leaves one row. */
    public Added add(AdminPrincipal by, @Nullable String userId, @Nullable String email) {
        String normalizedEmail = Emails.normalize(email);
        return database.transaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO platform_admins (user_id, email, added_by)"
                    + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING " + COLUMNS)) {
                insert.setString(1, userId);
                insert.setString(2, normalizedEmail);
                insert.setString(3, by.name());
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        Admin admin = admin(rs);
                        audit.record(c, by, "platform_admin.add", "platform_admin", String.valueOf(admin.id()),
                                Map.of("by", userId != null ? "user_id" : "email"));
                        return new Added(admin, true);
                    }
                }
            }
            Admin existing = existing(c, userId, normalizedEmail);
            audit.record(c, by, "platform_admin.add", "platform_admin", String.valueOf(existing.id()),
                    Map.of("by", userId != null ? "user_id" : "email", "already_admin", true));
            return new Added(existing, false);
        });
    }

    /** Removes a designated admin; empty when there is none with that id (nothing written, nothing audited). */
    public Optional<Admin> remove(AdminPrincipal by, long id) {
        return database.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM platform_admins WHERE id = ? RETURNING " + COLUMNS)) {
                delete.setLong(1, id);
                try (ResultSet rs = delete.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Admin admin = admin(rs);
                    audit.record(c, by, "platform_admin.remove", "platform_admin", String.valueOf(id), Map.of());
                    return Optional.of(admin);
                }
            }
        });
    }

    private static Admin existing(Connection c, String userId, String email) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM platform_admins"
                + " WHERE user_id = ? OR email = ?")) {
            select.setString(1, userId);
            select.setString(2, email);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("a conflicting platform admin row disappeared");
                }
                return admin(rs);
            }
        }
    }

    private static Admin admin(ResultSet rs) throws SQLException {
        return new Admin(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant());
    }
}
