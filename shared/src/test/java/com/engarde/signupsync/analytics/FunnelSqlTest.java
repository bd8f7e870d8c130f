package com.engarde.signupsync.analytics;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The text of a funnel question's SQL where its shape decides the plan PostgreSQL may choose. */
class FunnelSqlTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void anExclusionIsCheckedByTheParallelSafeFunctionNotByACorrelatedSubquery() {
        FunnelQuery q = FunnelParameters.metrics(Map.of("date_from", List.of("2024-12-01"),
                "date_to", List.of("2026-11-30"), "exclude", List.of("appointment_cancelled,ticket_refunded")), CLOCK);
        StringBuilder sql = new StringBuilder();
        List<Object> binds = new ArrayList<>();

        FunnelSql.funnel(q, "analytics_leads", "NULL::text", false, sql, binds);

        // A correlated subquery in the scan's filter keeps the scan on one core (V37).
        assertThat(sql.toString()).contains("analytics_occurred_between(r.occurrences, ARRAY[2, 7]::bigint[], ")
                .doesNotContain("EXISTS").doesNotContain("unnest(");
        assertThat(binds).hasSize(2);
    }
}
