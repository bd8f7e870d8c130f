package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.persistence.DatabaseMigrations;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V19 on a database that already holds converted leads: the conversion rollup is backfilled from the lead rows,
 * and the stage counts are left as they were.
 */
class FunnelConversionMigrationTest {

    @Test
    void v19BackfillsTheConversionRollupOfTheLeadsAlreadyStored() throws Exception {
        String name = "v19_" + System.nanoTime();
        TestDatabase.get().execute("CREATE DATABASE " + name);
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
        HistoricalSchema.migrate(data, MigrationVersion.fromVersion("18"));
        try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
            // At V18: ann converted 36 h after her first touch (bucket 1), bob 12 h (bucket 0), cat not at all;
            // bob's conversion stays a delta, not compacted.
            s.execute("INSERT INTO leads (email) VALUES ('ann@example.com'), ('bob@example.com'), ('cat@example.com')");
            s.execute("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at) VALUES"
                    + " (1, 'zoom', 'event_registered', 'a1', '2026-03-02T00:00:00Z'),"
                    + " (1, 'manual', 'converted', 'a2', '2026-03-03T12:00:00Z'),"
                    + " (3, 'zoom', 'event_registered', 'c1', '2026-03-02T00:00:00Z')");
            s.execute("SELECT analytics_compact_cohort_counts()");
            s.execute("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at) VALUES"
                    + " (2, 'zoom', 'event_registered', 'b1', '2026-03-04T00:00:00Z'),"
                    + " (2, 'manual', 'converted', 'b2', '2026-03-04T12:00:00Z')");
            long stagesBefore = number(s, "SELECT sum(leads * reach) FROM analytics_cohort_counts")
                    + number(s, "SELECT sum(leads * reach) FROM analytics_cohort_deltas") * 24;

            DatabaseMigrations.migrate(data);

            assertThat(number(s, "SELECT count(*) FROM analytics_cohort_deltas")).as("all folded").isZero();
            assertThat(number(s, "SELECT sum(leads) FROM analytics_conversion_counts WHERE grain = 'm' AND dims = 0"
                    + " AND attribution = 'f' AND bucket = 1")).as("ann").isEqualTo(1);
            assertThat(number(s, "SELECT sum(leads) FROM analytics_conversion_counts WHERE grain = 'd' AND dims = 9"
                    + " AND attribution = 'f' AND bucket = 0 AND cohort_day = '2026-03-04' AND source = 'zoom'"))
                    .as("bob").isEqualTo(1);
            assertThat(number(s, "SELECT sum(leads) FROM analytics_conversion_counts")).as("2 leads x 2 grains x 2"
                    + " attributions x 6 dimension sets").isEqualTo(48);
            assertThat(number(s, "SELECT sum(leads * reach) FROM analytics_cohort_counts"))
                    .as("the stage counts are unchanged").isEqualTo(stagesBefore);
        } finally {
            TestDatabase.get().execute("DROP DATABASE " + name + " WITH (FORCE)");
        }
    }

    private static long number(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
