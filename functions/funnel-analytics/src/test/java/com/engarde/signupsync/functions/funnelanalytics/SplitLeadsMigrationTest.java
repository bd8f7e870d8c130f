package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.funnel.SplitLeads;
import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.persistence.DatabaseMigrations;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V22 on a database holding one person split into three leads by letter case (the older normal form lower-cased
 * ASCII letters only): one lead remains, with all events, the earliest conversion, touches and analytics rows
 * recomputed, funnel totals counting the person once; a second run changes nothing.
 */
class SplitLeadsMigrationTest {

    @Test
    void leadsSplitByCaseAreMergedWithTheirEventsConversionsAndAnalytics() throws Exception {
        String name = "v22_" + System.nanoTime();
        TestDatabase.get().execute("CREATE DATABASE " + name);
        PGSimpleDataSource data = dataSource(name);
        HistoricalSchema.migrate(data, MigrationVersion.fromVersion("19"));
        try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
            // 1 was written before V5 (lower-cased by the database), 2 and 3 after it (ASCII letters only): one
            // person. 4 is someone else; 5 is alone in its mailbox but not in the normal form (ß folds to ss).
            s.execute("INSERT INTO leads (email, first_name, phone) VALUES ('zoë.ångström@example.com', NULL, NULL),"
                    + " ('zoë.Ångström@example.com', NULL, '+15550100'), ('zoË.ÅngstrÖm@example.com', 'Zoë', NULL),"
                    + " ('dan@example.com', 'Dan', NULL), ('straße@example.com', NULL, NULL)");
            s.execute("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at, utm_campaign)"
                    + " VALUES (1, 'zoom', 'event_registered', 'z1', '2026-03-05T10:00:00Z', 'spring'),"
                    + " (2, 'easyappointments', 'appointment_booked', 'ea1', '2026-03-02T09:00:00Z', 'ads'),"
                    + " (2, 'manual', 'converted', 'pu-2', '2026-03-10T09:00:00Z', NULL),"
                    + " (3, 'eventbrite', 'ticket_purchased', 'eb1', '2026-03-12T12:00:00Z', NULL),"
                    + " (3, 'manual', 'converted', 'pu-3', '2026-03-13T00:00:00Z', NULL),"
                    + " (4, 'zoom', 'event_registered', 'd1', '2026-03-03T00:00:00Z', NULL),"
                    + " (5, 'zoom', 'event_registered', 's1', '2026-03-04T00:00:00Z', NULL)");
            s.execute("INSERT INTO funnel_conversions (lead_id, platform_user_id, converted_at, first_touch_source,"
                    + " first_touch_at, last_touch_source, last_touch_at, seconds_to_conversion) VALUES"
                    + " (2, 'pu-2', '2026-03-10T09:00:00Z', 'easyappointments', '2026-03-02T09:00:00Z',"
                    + "  'easyappointments', '2026-03-02T09:00:00Z', 691200),"
                    + " (3, 'pu-3', '2026-03-13T00:00:00Z', 'eventbrite', '2026-03-12T12:00:00Z',"
                    + "  'eventbrite', '2026-03-12T12:00:00Z', 43200)");
            s.execute("INSERT INTO platform_admins (email, added_by) VALUES ('strasse@example.com', 'root'),"
                    + " ('straße@example.com', 'root')");
            s.execute("SELECT analytics_compact_cohort_counts()");
            // By hand, before: five leads in March (first touch, all sources); converted: lead 2 after 8 days
            // (bucket 8), lead 3 after 12 hours (bucket 0).
            assertThat(totalLeads(s)).isEqualTo(5);
            assertThat(convertedByBucket(s)).containsExactly("0:1", "8:1");

            DatabaseMigrations.migrate(data);

            assertThat(rows(s, "SELECT id || ' ' || email || ' ' || coalesce(first_name, '-') || ' '"
                    + " || coalesce(phone, '-') FROM leads ORDER BY id")).containsExactly(
                    "1 zoë.ångström@example.com Zoë +15550100", "4 dan@example.com Dan -",
                    "5 strasse@example.com - -");
            assertThat(rows(s, "SELECT external_id || ' ' || lead_id FROM funnel_events ORDER BY id"))
                    .as("every event kept, on the one lead").containsExactly("z1 1", "ea1 1", "pu-2 1", "eb1 1",
                            "pu-3 1", "d1 4", "s1 5");
            assertThat(rows(s, "SELECT lead_id || ' ' || platform_user_id FROM funnel_conversions"))
                    .as("a person converts once: the earliest conversion").containsExactly("1 pu-2");
            assertThat(rows(s, "SELECT first_touch_source || ' ' || first_touch_utm_campaign || ' '"
                    + " || first_touch_at AT TIME ZONE 'UTC' || ' ' || last_touch_source || ' '"
                    + " || last_touch_at AT TIME ZONE 'UTC' FROM leads WHERE id = 1"))
                    .as("touches from all of the person's events: the booking first, the ticket last")
                    .containsExactly("easyappointments ads 2026-03-02 09:00:00 eventbrite 2026-03-12 12:00:00");
            assertThat(rows(s, "SELECT lead_id || '' FROM analytics_leads ORDER BY lead_id"))
                    .containsExactly("1", "4", "5");
            assertThat(number(s, "SELECT count(*) FROM (SELECT * FROM analytics_leads EXCEPT"
                    + " SELECT * FROM analytics_leads_from_events) x")).as("analytics rows as the events say").isZero();
            s.execute("SELECT analytics_compact_cohort_counts()");
            // By hand, after: three leads; the person converted once, 8 days after her first touch (bucket 8).
            assertThat(totalLeads(s)).isEqualTo(3);
            assertThat(convertedByBucket(s)).containsExactly("8:1");
            assertThat(number(s, "SELECT sum(leads) FROM analytics_cohort_counts WHERE grain = 'd' AND dims = 1"
                    + " AND attribution = 'f' AND cohort_day = '2026-03-02' AND source = 'easyappointments'"
                    + " AND reach = 16 * 2 + 2 * 2 + 1")).as("the person: engaged and converted, from the booking")
                    .isEqualTo(1);
            assertThat(rows(s, "SELECT email FROM platform_admins")).as("one admin, named once")
                    .containsExactly("strasse@example.com");
            assertThat(number(s, "SELECT count(*) FROM pg_constraint WHERE conname IN ('leads_email_normal_form',"
                    + " 'platform_admins_email_normal_form') AND convalidated")).isEqualTo(2);

            List<String> before = snapshot(s);
            c.setAutoCommit(false);
            assertThat(SplitLeads.merge(c)).as("a second run").isEqualTo(new SplitLeads.Merged(0, 0, 0));
            c.commit();
            c.setAutoCommit(true);
            assertThat(snapshot(s)).isEqualTo(before);
        } finally {
            TestDatabase.get().execute("DROP DATABASE " + name + " WITH (FORCE)");
        }
    }

    private static long totalLeads(Statement s) throws Exception {
        return number(s, "SELECT sum(leads) FROM analytics_cohort_counts WHERE grain = 'm' AND dims = 0"
                + " AND attribution = 'f'");
    }

    private static List<String> convertedByBucket(Statement s) throws Exception {
        return rows(s, "SELECT bucket || ':' || sum(leads) FROM analytics_conversion_counts WHERE grain = 'm'"
                + " AND dims = 0 AND attribution = 'f' GROUP BY bucket ORDER BY bucket");
    }

    private static List<String> snapshot(Statement s) throws Exception {
        List<String> all = new ArrayList<>();
        for (String table : List.of("leads", "funnel_events", "funnel_conversions", "analytics_leads",
                "analytics_cohort_deltas", "analytics_cohort_counts", "analytics_conversion_counts",
                "analytics_window_counts", "platform_admins")) {
            all.addAll(rows(s, "SELECT t::text FROM " + table + " t ORDER BY 1"));
        }
        return all;
    }

    private static List<String> rows(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long number(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
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
