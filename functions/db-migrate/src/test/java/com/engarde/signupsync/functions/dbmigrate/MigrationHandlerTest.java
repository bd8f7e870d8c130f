package com.engarde.signupsync.functions.dbmigrate;

import com.engarde.signupsync.persistence.DatabaseUrl;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import org.postgresql.util.PasswordUtil;
import com.engarde.signupsync.config.StubSecretsManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationHandlerTest {

    private String databaseUrl;

    /** A new, empty database on the test server for each test: the migration must find nothing there. */
    @BeforeEach
    void emptyDatabase() {
        String name = "migrate_" + System.nanoTime();
        TestDatabase.get().execute("CREATE DATABASE " + name);
        URI server = URI.create(TestDatabase.get().url());
        databaseUrl = server.getScheme() + "://" + (server.getRawUserInfo() == null ? "" : server.getRawUserInfo() + "@")
                + server.getHost() + ":" + server.getPort() + "/" + name;
    }

    private MigrationHandler handler() {
        return new MigrationHandler(ApplicationContext.builder().properties(Map.of("engarde.database.url", databaseUrl)));
    }

    /** db-migrate as in AWS: connected as the owner, with the application role's secret to create and grant. */
    private MigrationHandler handlerWithApplicationRole() {
        return new MigrationHandler(ApplicationContext.builder().properties(Map.of(
                "engarde.database.url", databaseUrl,
                "signup.sync.secrets.endpoint", secretsManager.endpoint(),
                "engarde.database.app.secret.arn", APP_SECRET_ARN)));
    }

    private static final String APP_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:signup-sync/dev/database-app";
    private static StubSecretsManager secretsManager;
    private String appRole;
    private String appPassword;

    @BeforeAll
    static void startSecretsManager() throws IOException {
        secretsManager = new StubSecretsManager();
    }

    @AfterAll
    static void stopSecretsManager() {
        secretsManager.close();
    }

    /** The application role's secret as CDK generates it (DatabaseSecret attached to the instance). */
    private void appSecret(String role, String password) {
        appRole = role;
        appPassword = password;
        URI server = URI.create(databaseUrl);
        secretsManager.put(APP_SECRET_ARN, "{\"engine\":\"postgres\",\"host\":\"" + server.getHost() + "\",\"port\":"
                + server.getPort() + ",\"username\":\"" + role + "\",\"password\":\"" + password + "\",\"dbname\":\""
                + server.getPath().substring(1) + "\"}");
    }

    private static Map<String, Object> event(String requestType) throws IOException {
        Map<String, Object> event = new ObjectMapper().readValue(
                Files.readString(LambdaHarness.eventsDir().resolve("cloudformation/migrations-create.json")),
                new TypeReference<>() { });
        Map<String, Object> copy = new HashMap<>(event);
        copy.put("RequestType", requestType);
        if (!"Create".equals(requestType)) {
            copy.put("PhysicalResourceId", MigrationHandler.PHYSICAL_ID);
        }
        return copy;
    }

    @Test
    @SuppressWarnings("unchecked")
    void createAppliesEveryMigrationToAnEmptyDatabase() throws Exception {
        try (MigrationHandler handler = handler()) {
            Map<String, Object> response = handler.handleRequest(event("Create"), null);

            assertThat(response).containsEntry("PhysicalResourceId", MigrationHandler.PHYSICAL_ID);
            Map<String, Object> data = (Map<String, Object>) response.get("Data");
            assertThat((Integer) data.get("MigrationsExecuted")).isPositive();
            assertThat(data.get("SchemaVersion")).isEqualTo(latestVersion());
        }
        assertThat(tables()).contains("funnel_events", "leads", "flyway_schema_history")
                .as("refusals are a metric, not rows").doesNotContain("webhook_rejections");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUpdateWithNothingPendingChangesNothing() throws Exception {
        try (MigrationHandler handler = handler()) {
            handler.handleRequest(event("Create"), null);
            Map<String, Object> response = handler.handleRequest(event("Update"), null);

            assertThat(response).containsEntry("PhysicalResourceId", MigrationHandler.PHYSICAL_ID);
            assertThat(((Map<String, Object>) response.get("Data")).get("MigrationsExecuted")).isEqualTo(0);
        }
    }

    @Test
    void deleteKeepsTheSchemaAndItsData() throws Exception {
        try (MigrationHandler handler = handler()) {
            handler.handleRequest(event("Create"), null);
            Map<String, Object> response = handler.handleRequest(event("Delete"), null);
            assertThat(response).containsEntry("PhysicalResourceId", MigrationHandler.PHYSICAL_ID);
        }
        assertThat(tables()).contains("funnel_events");
    }

    @Test
    void anEventThatIsNotACustomResourceIsRefused() {
        try (MigrationHandler handler = handler()) {
            assertThatThrownBy(() -> handler.handleRequest(Map.of("detail-type", "SyncRequested"), null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(tables()).doesNotContain("flyway_schema_history");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theApplicationRoleGetsDataRightsOnEveryTableAndNothingMore() throws Exception {
        appSecret("app_" + System.nanoTime(), "generated-" + UUID.randomUUID());
        try (MigrationHandler handler = handlerWithApplicationRole()) {
            Map<String, Object> response = handler.handleRequest(event("Create"), null);
            assertThat(((Map<String, Object>) response.get("Data")).get("ApplicationRole")).isEqualTo(appRole);
        }

        try (Connection app = connectAs(appRole); Statement s = app.createStatement()) {
            // Its work: rows written through the triggers and functions the schema defines, read back, removed.
            s.execute("INSERT INTO leads (email) VALUES ('grace@example.com')");
            s.execute("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at) "
                    + "SELECT id, 'manual', 'lead_captured', 'ext-1', now() FROM leads");
            s.execute("UPDATE leads SET first_name = 'Grace'");
            assertThat(number(s, "SELECT count(*) FROM leads WHERE first_touch_source = 'manual'")).isEqualTo(1);
            assertThat(number(s, "SELECT count(*) FROM flyway_schema_history")).as("the history is readable").isPositive();
            s.execute("DELETE FROM funnel_events");

            for (String forbidden : List.of("CREATE TABLE intruder (id int)", "DROP TABLE leads",
                    "ALTER TABLE leads ADD COLUMN intruder text", "TRUNCATE funnel_sources",
                    "CREATE INDEX intruder_idx ON leads (phone)", "DELETE FROM flyway_schema_history",
                    "UPDATE flyway_schema_history SET success = false",
                    "INSERT INTO flyway_schema_history (installed_rank, description, type, script, installed_by, "
                            + "execution_time, success) VALUES (999, 'x', 'SQL', 'x', 'x', 0, true)",
                    "CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                    "CREATE SCHEMA intruder", "ALTER ROLE " + appRole + " CREATEDB")) {
                assertThatThrownBy(() -> s.execute(forbidden)).as(forbidden)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(forbidden).isEqualTo("42501"));
            }
        }

        try (Connection owner = connect(); Statement s = owner.createStatement()) {
            String tables = "FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace "
                    + "WHERE n.nspname = 'public' AND k.relkind IN ('r', 'p') ";
            assertThat(number(s, "SELECT count(*) " + tables)).isGreaterThan(10);
            assertThat(number(s, "SELECT count(*) " + tables + "AND k.relname NOT IN ('flyway_schema_history', "
                    + "'platform_admin_actions') AND NOT ("
                    + "has_table_privilege('" + appRole + "', k.oid, 'SELECT') AND has_table_privilege('" + appRole
                    + "', k.oid, 'INSERT') AND has_table_privilege('" + appRole + "', k.oid, 'UPDATE') AND "
                    + "has_table_privilege('" + appRole + "', k.oid, 'DELETE'))")).as("tables the role cannot read and write").isZero();
            assertThat(number(s, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = '"
                    + appRole + "'")).as("tables the role owns").isZero();
            assertThat(number(s, "SELECT count(*) FROM pg_roles WHERE rolname = '" + appRole
                    + "' AND (rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls OR NOT rolcanlogin)")).isZero();
            // A table a later migration creates is the role's to use before db-migrate grants again.
            s.execute("CREATE TABLE later_table (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text)");
        }
        try (Connection app = connectAs(appRole); Statement s = app.createStatement()) {
            s.execute("INSERT INTO later_table (note) VALUES ('default privileges')");
            assertThat(number(s, "SELECT count(*) FROM later_table")).isEqualTo(1);
        }
    }

    @Test
    void theAuditLogIsAppendOnlyForTheApplicationRole() throws Exception {
        appSecret("app_" + System.nanoTime(), "generated-" + UUID.randomUUID());
        try (MigrationHandler handler = handlerWithApplicationRole()) {
            handler.handleRequest(event("Create"), null);
        }
        try (Connection app = connectAs(appRole); Statement s = app.createStatement()) {
            s.execute("INSERT INTO platform_admin_actions (actor_subject, action, target_type) "
                    + "VALUES ('admin-1', 'source.verify', 'source')");
            assertThat(number(s, "SELECT count(*) FROM platform_admin_actions")).isEqualTo(1);
            for (String forbidden : List.of("UPDATE platform_admin_actions SET action = 'source.forged'",
                    "DELETE FROM platform_admin_actions", "TRUNCATE platform_admin_actions")) {
                assertThatThrownBy(() -> s.execute(forbidden)).as(forbidden)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(forbidden).isEqualTo("42501"));
            }
            assertThat(number(s, "SELECT count(*) FROM platform_admin_actions WHERE action = 'source.verify'")).isEqualTo(1);
        }
        try (Connection owner = connect(); Statement s = owner.createStatement()) {
            // Even a grant given back by hand does not open it: the table itself refuses every role but its owner.
            s.execute("GRANT UPDATE, DELETE ON platform_admin_actions TO " + appRole);
        }
        try (Connection app = connectAs(appRole); Statement s = app.createStatement()) {
            for (String forbidden : List.of("UPDATE platform_admin_actions SET action = 'source.forged'",
                    "DELETE FROM platform_admin_actions")) {
                assertThatThrownBy(() -> s.execute(forbidden)).as(forbidden + ", granted")
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(forbidden).isEqualTo("42501"))
                        .hasMessageContaining("append-only");
            }
            assertThat(number(s, "SELECT count(*) FROM platform_admin_actions WHERE action = 'source.verify'")).isEqualTo(1);
        }
    }

    @Test
    void theRolesPasswordIsStoredAsAScramVerifierAndFollowsTheSecretOnEveryRun() throws Exception {
        appSecret("app_" + System.nanoTime(), "first-" + UUID.randomUUID());
        String firstPassword = appPassword;
        try (MigrationHandler handler = handlerWithApplicationRole()) {
            handler.handleRequest(event("Create"), null);
        }
        assertThat(verifier(appRole)).doesNotContain(firstPassword).satisfies(v -> assertVerifies(v, firstPassword));

        // Rotated in Secrets Manager: the next deploy's run sets the new one.
        appSecret(appRole, "second-" + UUID.randomUUID());
        try (MigrationHandler handler = handlerWithApplicationRole()) {
            handler.handleRequest(event("Update"), null);
        }
        String second = verifier(appRole);
        assertVerifies(second, appPassword);
        assertThatThrownBy(() -> assertVerifies(second, firstPassword)).isInstanceOf(AssertionError.class);
        try (Connection app = connectAs(appRole); Statement s = app.createStatement()) {
            assertThat(number(s, "SELECT count(*) FROM funnel_sources")).isPositive();
        }
    }

    /** SCRAM-SHA-256$iterations:salt$storedKey:serverKey, recomputed from the password with the same salt. */
    private static void assertVerifies(String verifier, String password) {
        assertThat(verifier).startsWith("SCRAM-SHA-256$");
        String[] parts = verifier.substring("SCRAM-SHA-256$".length()).split("[$:]");
        byte[] salt = java.util.Base64.getDecoder().decode(parts[1]);
        assertThat(PasswordUtil.encodeScramSha256(password.toCharArray(), Integer.parseInt(parts[0]), salt))
                .isEqualTo(verifier);
    }

    @Test
    void theOwnersOwnNameIsRefusedAsTheApplicationRole() throws Exception {
        String owner;
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            owner = rs.getString(1);
        }
        appSecret(owner, "never-used-" + UUID.randomUUID());
        try (MigrationHandler handler = handlerWithApplicationRole()) {
            assertThatThrownBy(() -> handler.handleRequest(event("Create"), null))
                    .hasMessageContaining("must not be the schema's owner")
                    .hasMessageNotContaining(appPassword);
        }
    }

    private String verifier(String role) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long number(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connectAs(String role) throws SQLException {
        URI server = URI.create(databaseUrl);
        return DriverManager.getConnection("jdbc:postgresql://" + server.getHost() + ":" + server.getPort()
                + server.getPath(), role, appPassword);
    }

    private List<String> tables() {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The highest versioned migration, SQL or Java (V22_1 is 22.1); repeatable ones carry no version. */
    private static String latestVersion() throws IOException {
        java.nio.file.Path main = LambdaHarness.eventsDir().getParent().resolve("shared/src/main");
        java.util.List<org.flywaydb.core.api.MigrationVersion> versions = new java.util.ArrayList<>();
        for (java.nio.file.Path dir : java.util.List.of(main.resolve("resources/db/migration"), main.resolve("java/db/migration"))) {
            try (var files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> n.matches("V[\\d_]+__.*\\.(sql|java)"))
                        .map(n -> org.flywaydb.core.api.MigrationVersion.fromVersion(n.substring(1, n.indexOf("__")).replace('_', '.')))
                        .forEach(versions::add);
            }
        }
        return versions.stream().max(Comparator.naturalOrder()).orElseThrow().getVersion();
    }

    private Connection connect() throws SQLException {
        return DatabaseUrl.parse(databaseUrl).simpleDataSource().getConnection();
    }
}
