package com.engarde.signupsync.functions.dbmigrate;

import com.engarde.signupsync.persistence.DatabaseUrl;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        assertThat(tables()).contains("funnel_events", "leads", "flyway_schema_history");
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

    private static String latestVersion() throws IOException {
        try (var files = Files.list(LambdaHarness.eventsDir().getParent().resolve("shared/src/main/resources/db/migration"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")))
                    .max(Comparator.comparingInt(Integer::parseInt))
                    .orElseThrow();
        }
    }

    private Connection connect() throws SQLException {
        return DatabaseUrl.parse(databaseUrl).simpleDataSource().getConnection();
    }
}
