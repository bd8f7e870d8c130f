package com.engarde.signupsync.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.core.Utils;
import org.postgresql.util.PasswordUtil;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The role the runtime functions log in as: data rights only. It may read and write the rows of every table
 * (SELECT, INSERT, UPDATE, DELETE), draw from the identity sequences and call the schema's functions; it owns
 * nothing, creates nothing, alters and drops nothing, only reads the Flyway history, and only adds to the audit
 * log ({@code platform_admin_actions}: no UPDATE, DELETE or TRUNCATE). The owner of the schema
 * (the RDS master user, which db-migrate alone connects as) creates or updates it after every migration, and
 * sets default privileges so a table a later migration creates is granted the same way even before that run.
 *
 * <p>The password arrives as a SCRAM-SHA-256 verifier computed here, never as clear text in a statement, so not
 * even the server's log of a failed statement can hold it.
 */
public final class ApplicationRole {

    /** An unquoted PostgreSQL identifier: the secret's username must be one. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    static final String FLYWAY_HISTORY = "flyway_schema_history";
    static final String AUDIT_LOG = "platform_admin_actions";

    /** What was granted, to report: the role's name and how many tables it may write. */
    public record Granted(String role, int tables) {
    }

    private ApplicationRole() {
    }

    /** Creates or updates the role described by {@code secret} (an RDS-style JSON secret) and grants its rights. */
    public static Granted ensure(DataSource owner, String secret, ObjectMapper json) {
        DatabaseUrl credentials = SecretDataSource.parse(secret, json);
        return ensure(owner, credentials.user(), credentials.password());
    }

    public static Granted ensure(DataSource owner, String role, String password) {
        if (role == null || !NAME.matcher(role).matches()) {
            throw new IllegalArgumentException("the application role's username must be a lower-case identifier");
        }
        if (password == null || password.length() < 16) {
            throw new IllegalArgumentException("the application role's password must have at least 16 characters");
        }
        try (Connection c = owner.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                String quoted = Utils.escapeIdentifier(new StringBuilder(), role).toString();
                String verifier = Utils.escapeLiteral(new StringBuilder("'"),
                        PasswordUtil.encodeScramSha256(password.toCharArray()), true).append('\'').toString();
                if (owns(c, role)) {
                    throw new IllegalStateException("the application role must not be the schema's owner: "
                            + "use another username in its secret than the master user's");
                }
                // Neither SUPERUSER nor BYPASSRLS is named: on RDS only rdsadmin may even say NOSUPERUSER.
                s.execute((exists(c, role) ? "ALTER ROLE " : "CREATE ROLE ") + quoted
                        + " WITH LOGIN NOCREATEDB NOCREATEROLE INHERIT PASSWORD " + verifier);
                if (privileged(c, role)) {
                    throw new IllegalStateException("the application role is a superuser or bypasses row security: "
                            + "an administrator must take that away (ALTER ROLE ... NOSUPERUSER NOBYPASSRLS)");
                }
                for (String grant : grants(quoted)) {
                    s.execute(grant);
                }
                c.commit();
                return new Granted(role, writableTables(c, role));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            // Only the SQLSTATE and the object it names: the driver's message could quote a statement.
            throw new DatabaseException(e);
        }
    }

    private static List<String> grants(String role) {
        return List.of(
                "DO $$ BEGIN EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO " + role.replace("'", "''")
                        + "', current_database()); END $$",
                // PostgreSQL 15 and later already deny it; said here so an older or altered schema cannot differ.
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                "GRANT USAGE ON SCHEMA public TO " + role,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role,
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + role,
                "GRANT EXECUTE ON ALL ROUTINES IN SCHEMA public TO " + role,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + role,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO " + role,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON ROUTINES TO " + role,
                // The history is the migrator's: readable, never writable, by the functions.
                "DO $$ BEGIN IF to_regclass('public." + FLYWAY_HISTORY + "') IS NOT NULL THEN "
                        + "REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public." + FLYWAY_HISTORY
                        + " FROM " + role.replace("'", "''") + "; END IF; END $$",
                // The audit log is append-only for the functions (and V20's trigger refuses it to any role but the owner).
                "DO $$ BEGIN IF to_regclass('public." + AUDIT_LOG + "') IS NOT NULL THEN "
                        + "REVOKE UPDATE, DELETE, TRUNCATE ON public." + AUDIT_LOG
                        + " FROM " + role.replace("'", "''") + "; END IF; END $$");
    }

    private static boolean exists(Connection c, String role) throws SQLException {
        return flag(c, "SELECT true FROM pg_roles WHERE rolname = ?", role);
    }

    private static boolean privileged(Connection c, String role) throws SQLException {
        return flag(c, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = ?", role);
    }

    private static boolean owns(Connection c, String role) throws SQLException {
        return flag(c, "SELECT true FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace "
                + "JOIN pg_roles r ON r.oid = k.relowner WHERE n.nspname = 'public' AND r.rolname = ? LIMIT 1", role);
    }

    private static int writableTables(Connection c, String role) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pg_class k JOIN pg_namespace n "
                + "ON n.oid = k.relnamespace WHERE n.nspname = 'public' AND k.relkind IN ('r', 'p') "
                + "AND has_table_privilege(?::text, k.oid, 'INSERT')")) {
            p.setString(1, role);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static boolean flag(Connection c, String sql, String role) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, role);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
