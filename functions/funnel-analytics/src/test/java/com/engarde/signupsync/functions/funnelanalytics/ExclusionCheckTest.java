package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * analytics_occurred_between (V37), the funnel's exclusion check: what it matches, and why it is a function: a
 * scan filtered by it may run in parallel, where the same check written as a correlated subquery may not.
 */
class ExclusionCheckTest {

    /** Occurrences as V7 encodes them: microseconds * 16 + the type's code. */
    private static final String OCCURRENCES = "ARRAY[1000 * 16 + 2, 2000 * 16 + 7, 3000 * 16 + 4]::bigint[]";

    @Test
    void matchesAnOccurrenceOfAGivenTypeStrictlyInsideTheSpanAndNeverAnswersNull() throws SQLException {
        assertThat(check("ARRAY[2]::bigint[], 999, 1001")).isEqualTo("true");
        assertThat(check("ARRAY[2, 7]::bigint[], 1500, 2500")).isEqualTo("true");
        // Strictly inside: the bounds themselves do not count.
        assertThat(check("ARRAY[2]::bigint[], 1000, 3000")).isEqualTo("false");
        assertThat(check("ARRAY[2]::bigint[], 0, 1000")).isEqualTo("false");
        // Another type inside the span does not count.
        assertThat(check("ARRAY[7]::bigint[], 2500, 4000")).isEqualTo("false");
        // A lead without a span (a null bound) matches nothing, as the inline check did: false, not null.
        assertThat(check("ARRAY[2]::bigint[], NULL, 5000")).isEqualTo("false");
        assertThat(check("ARRAY[2]::bigint[], 0, NULL")).isEqualTo("false");
    }

    @Test
    void aScanFilteredByTheFunctionMayRunInParallelAndOneFilteredByTheSubqueryMayNot() throws SQLException {
        String filter = "NOT analytics_occurred_between(a.occurrences, ARRAY[2]::bigint[], 0, 5000)";
        String subquery = "NOT EXISTS (SELECT 1 FROM unnest(a.occurrences) o WHERE (o & 15) IN (2)"
                + " AND (o >> 4) > 0 AND (o >> 4) < 5000)";
        assertThat(plan(filter)).contains("Gather");
        assertThat(plan(subquery)).doesNotContain("Gather");
    }

    private static String check(String arguments) throws SQLException {
        try (Connection c = TestDatabase.get().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(analytics_occurred_between(" + OCCURRENCES + ", "
                     + arguments + ")::text, 'null')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The plan of a count over analytics_leads with {@code filter}, run in a worker wherever that is allowed. */
    private static String plan(String filter) throws SQLException {
        try (Connection c = TestDatabase.get().dataSource().getConnection(); Statement s = c.createStatement()) {
            // Puts a Gather over every plan that is safe to run in a worker, and over no other.
            s.execute("SET debug_parallel_query = on");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT count(*) FROM analytics_leads a WHERE " + filter)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            } finally {
                s.execute("RESET ALL");
            }
            return plan.toString();
        }
    }
}
