package com.engarde.signupsync.testing;

import com.engarde.signupsync.persistence.DatabaseMigrations;
import com.engarde.signupsync.persistence.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The PostgreSQL that tests and benchmarks run against: an embedded PostgreSQL 16 started once per JVM, or
 * the server named by SIGNUP_SYNC_TEST_DATABASE_URL (postgresql://user:pass@host:port/db). Migrated once; the
 * embedded one starts from a copy of a migrated template ({@link DatabaseTemplate}).
 */
public final class TestDatabase {

    private static TestDatabase instance;

    private final EmbeddedPostgres embedded;
    private final String url;
    private final DataSource dataSource;
    /** The statement that puts every source's active flag back as the migrations left it. */
    private String seededActive;
    /** Every table of the schema but the ones the migrations seed, so a new table is emptied without naming it. */
    private String written;

    private TestDatabase(EmbeddedPostgres embedded, String url, DataSource dataSource) {
        this.embedded = embedded;
        this.url = url;
        this.dataSource = dataSource;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
            DatabaseMigrations.migrate(instance.dataSource);
            instance.seededActive = instance.seededActiveSources();
            instance.written = instance.everyTableButTheSeeded();
        }
        return instance;
    }

    private static TestDatabase start() {
        String configured = System.getenv("SIGNUP_SYNC_TEST_DATABASE_URL");
        if (configured != null && !configured.isBlank()) {
            return new TestDatabase(null, configured, DatabaseUrl.parse(configured).simpleDataSource());
        }
        try {
            java.nio.file.Path data = DatabaseTemplate.freshCopy();
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
                DatabaseTemplate.deleteWhenStopped(data);
            }));
            String url = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
            return new TestDatabase(pg, url, pg.getPostgresDatabase());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** The database as ENGARDE_DATABASE_URL would name it. */
    public String url() {
        return url;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Empties every table the tests write, keeping the seeded sources and the platform tenant. */
    /**
     * TRUNCATE takes every table's exclusive lock in turn; background work a previous test left running (a hand-back,
     * an in-process bus delivery) can hold one of them and wait for another, which PostgreSQL breaks as a deadlock
     * (40P01). The emptying is simply tried again.
     */
    private void truncateRetryingDeadlocks(String sql) {
        for (int attempt = 1; ; attempt++) {
            try {
                execute(sql);
                return;
            } catch (IllegalStateException e) {
                if (attempt == 5 || !(e.getCause() instanceof java.sql.SQLException sql2) || !"40P01".equals(sql2.getSQLState())) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public void truncate() {
        truncateRetryingDeadlocks("TRUNCATE " + written + " RESTART IDENTITY CASCADE");
        // Tests activate and deactivate sources: put back what the migrations seeded.
        execute(seededActive);
        execute("DELETE FROM platform_tenants WHERE NOT unlimited");
        execute("DELETE FROM platform_organizations o WHERE NOT EXISTS"
                + " (SELECT 1 FROM platform_tenants t WHERE t.organization_id = o.id)");
    }

    /** The tables the migrations fill (the sources, the platform's own tenant) and Flyway's history stay. */
    private static final java.util.List<String> SEEDED = java.util.List.of("flyway_schema_history", "funnel_sources",
            "platform_tenants", "platform_organizations");

    private String everyTableButTheSeeded() {
        java.util.List<String> tables = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rows = s.executeQuery("SELECT quote_ident(tablename) FROM pg_tables"
                     + " WHERE schemaname = current_schema() ORDER BY tablename")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing the tables", e);
        }
        tables.removeAll(SEEDED);
        if (tables.isEmpty()) {
            throw new IllegalStateException("no tables to empty: were the migrations run?");
        }
        return String.join(", ", tables);
    }

    private String seededActiveSources() {
        StringBuilder sql = new StringBuilder("UPDATE funnel_sources SET active = CASE source_type");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rows = s.executeQuery("SELECT source_type, active FROM funnel_sources")) {
            while (rows.next()) {
                sql.append(" WHEN '").append(rows.getString(1).replace("'", "''")).append("' THEN ")
                        .append(rows.getBoolean(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the seeded sources", e);
        }
        return sql.append(" ELSE active END").toString();
    }

    public void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public boolean embedded() {
        return embedded != null;
    }
}
