package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recomputing a lead's analytics row reads that lead's events, not the table's: its cost must not grow with the
 * events other leads hold. (A form of the recomputation that joined the lead ids to the whole view aggregated
 * every stored event on every call: correct answers, and a bulk write that slowed with each statement.) The plan
 * is checked, not a time: the statement's plan as auto_explain reports it.
 */
class RefreshReadsItsLeadsTest {

    @BeforeEach
    void clean() {
        TestDatabase.get().truncate();
    }

    @Test
    void recomputingOneLeadFetchesItsOwnEventsAndNotTheTables() throws SQLException {
        try (Connection c = TestDatabase.get().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO leads (email) SELECT 'lead' || g || '@example.com' FROM generate_series(1, 400) g");
            // 400 leads of 5 events each, a booking and its cancellation among them (the view's voiding join).
            s.execute("INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at)"
                    + " SELECT l.id, 'easyappointments', t.type, 'b' || l.id || '-' || t.n,"
                    + "        timestamptz '2026-03-01' + (l.id || ' minutes')::interval + (t.n || ' days')::interval"
                    + " FROM leads l, (VALUES (1, 'lead_captured'), (2, 'event_registered'), (3, 'event_attended'),"
                    + "                      (4, 'signup_started'), (5, 'signup_completed')) t(n, type)");
            s.execute("ANALYZE funnel_events");
            s.execute("ANALYZE leads");
            long lead = single(s, "SELECT min(id) FROM leads");
            // The plan of every statement the function runs, sent back to this connection as a notice.
            s.execute("LOAD 'auto_explain'");
            s.execute("SET auto_explain.log_min_duration = 0");
            s.execute("SET auto_explain.log_nested_statements = on");
            s.execute("SET auto_explain.log_level = 'notice'");
            s.clearWarnings();
            s.execute("SELECT analytics_refresh_leads(ARRAY[" + lead + "]::bigint[])");
            StringBuilder plans = new StringBuilder();
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                plans.append(w.getMessage()).append('\n');
            }
            String recompute = plans.substring(plans.indexOf("INSERT INTO analytics_leads"));

            assertThat(recompute).as("the lead's events and their voiding events, both by the lead id")
                    .contains("Index Cond: (lead_id = k.lead_id)")
                    .doesNotContain("Join Filter: (k.lead_id = e.lead_id)");
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
