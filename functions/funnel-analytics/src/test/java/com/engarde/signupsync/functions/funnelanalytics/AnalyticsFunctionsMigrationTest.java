package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.persistence.DatabaseMigrations;
import com.engarde.signupsync.testing.TestDatabase;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytics functions live in one repeatable migration, R__analytics_functions.sql. A database migrated
 * before it existed (every versioned migration applied) takes it as its one pending migration and keeps every
 * function exactly as it was: the file holds the current definitions, nothing else.
 */
class AnalyticsFunctionsMigrationTest {

    private static final String SCRIPT = "R__analytics_functions.sql";

    @Test
    void aDatabaseAtTheLatestVersionTakesTheRepeatableMigrationAndKeepsEveryDefinition() throws Exception {
        String name = "r_analytics_" + System.nanoTime();
        TestDatabase.get().execute("CREATE DATABASE " + name);
        PGSimpleDataSource data = dataSource(name);
        try {
            HistoricalSchema.migrate(data, MigrationVersion.LATEST);
            Map<String, String> before = definitions(data);
            try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO leads (email) VALUES ('ann@example.com')");
                s.execute("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at) VALUES"
                        + " (1, 'zoom', 'event_registered', 'a1', '2026-03-02T00:00:00Z')");
            }

            MigrateResult result = DatabaseMigrations.migrate(data);

            assertThat(result.migrationsExecuted).as("the repeatable migration alone is pending").isEqualTo(1);
            assertThat(result.migrations.get(0).filepath).endsWith(SCRIPT);
            Map<String, String> after = definitions(data);
            assertThat(after).as("every function as it was").isEqualTo(before);
            assertThat(before.keySet().stream().map(f -> f.substring(0, f.indexOf('('))).toList())
                    .as("the file replaces functions that exist").containsAll(scriptFunctions());
            try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
                // The functions still work together: an event's delta, then its compaction.
                s.execute("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at) VALUES"
                        + " (1, 'manual', 'converted', 'a2', '2026-03-03T00:00:00Z')");
                try (ResultSet rs = s.executeQuery("SELECT analytics_compact_cohort_counts()")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isPositive();
                }
                try (ResultSet rs = s.executeQuery("SELECT sum(leads) FROM analytics_conversion_counts")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("one lead x 2 grains x 2 attributions x 6 dimension sets").isEqualTo(24);
                }
                try (ResultSet rs = s.executeQuery("SELECT sum(leads) FROM analytics_window_counts")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("engaged in either order and converted: 3 rows x 2 grains x 2"
                            + " attributions x 2 dimension sets").isEqualTo(24);
                }
            }
            assertThat(DatabaseMigrations.migrate(data).migrationsExecuted).as("unchanged, not applied again").isZero();
        } finally {
            TestDatabase.get().execute("DROP DATABASE " + name + " WITH (FORCE)");
        }
    }

    /** The names of the functions the repeatable migration defines, read from the file. */
    private static Set<String> scriptFunctions() throws IOException {
        String sql;
        try (InputStream in = AnalyticsFunctionsMigrationTest.class.getResourceAsStream("/db/migration/" + SCRIPT)) {
            assertThat(in).as(SCRIPT + " on the classpath").isNotNull();
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^CREATE OR REPLACE FUNCTION (\\w+)\\(").matcher(sql);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as("functions defined in " + SCRIPT).hasSizeGreaterThanOrEqualTo(10);
        return names;
    }

    /** Every function of the schema, by name and arguments, with its full definition. */
    private static Map<String, String> definitions(PGSimpleDataSource data) throws SQLException {
        Map<String, String> definitions = new TreeMap<>();
        try (Connection c = data.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.proname, pg_get_function_identity_arguments(p.oid),"
                     + " pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                     + " WHERE n.nspname = current_schema() AND p.prokind = 'f'")) {
            while (rs.next()) {
                definitions.put(rs.getString(1) + "(" + rs.getString(2) + ")", rs.getString(3));
            }
        }
        return definitions;
    }

    private static PGSimpleDataSource dataSource(String name) {
        URI server = URI.create(TestDatabase.get().url());
        PGSimpleDataSource data = new PGSimpleDataSource();
        data.setServerNames(new String[] {server.getHost()});
        data.setPortNumbers(new int[] {server.getPort()});
        data.setDatabaseName(name);
        if (server.getUserInfo() != null) {
            String[] user = server.getUserInfo().split(":", 2);
            data.setUser(user[0]);
            if (user.length > 1) {
                data.setPassword(user[1]);
            }
        }
        return data;
    }
}
