package com.engarde.signupsync.platform;

import com.engarde.signupsync.observability.ServiceMetric;
import com.engarde.signupsync.observability.ServiceMetrics;
import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AuditLog;
import com.engarde.signupsync.persistence.Database;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The rollups the daily and monthly views read ({@code admin_usage_reports}, {@code tenant_health_metrics}),
 * computed from the raw records by UTC day and month. Re-running a day replaces exactly that day's rows (and
 * its month's, and the health of the 7 days whose growth it enters), so a run is idempotent. The schedule
 * recomputes the days that ingestion marked dirty since the last run: a record that arrives late for an
 * earlier day is in the rollups after the next run.
 */
@Singleton
public class UsageRollups {

    /** The largest range one on-demand run recomputes: it answers within the API's 29 seconds. */
    public static final int MAX_DAYS = 92;

    private static final Logger LOG = LoggerFactory.getLogger(UsageRollups.class);

    /** One run at a time: two runs over one day would each delete the other's fresh rows. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('signup-sync:usage-rollup'))";

    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('signup-sync:usage-rollup'))";

    private static final String CLAIM_DIRTY = "DELETE FROM usage_dirty_days RETURNING day";

    private static final String CLAIM_RANGE = "DELETE FROM usage_dirty_days WHERE day BETWEEN ? AND ?";

    private static final String DELETE_PERIOD = "DELETE FROM admin_usage_reports WHERE grain = ? AND period_start = ?";

    /** Storage is a level: the latest one reported in the day per key (ties: the larger level). */
    private static final String ROLL_DAY = """
            INSERT INTO admin_usage_reports (grain, period_start, tenant_id, organization_id, user_id, brand_id,
                provider, model, record_count, input_tokens, output_tokens, cost_usd, error_count,
                bigquery_storage_gb, storage_reported_at)
            SELECT 'day', ?, m.tenant_id, t.organization_id, m.user_id, m.brand_id, m.provider, m.model, count(*),
                   sum(m.input_tokens), sum(m.output_tokens), sum(m.cost_usd), sum(m.error_count),
                   (array_agg(m.bigquery_storage_gb ORDER BY m.occurred_at DESC, m.bigquery_storage_gb DESC)
                        FILTER (WHERE m.bigquery_storage_gb IS NOT NULL))[1],
                   max(m.occurred_at) FILTER (WHERE m.bigquery_storage_gb IS NOT NULL)
            FROM usage_metrics m JOIN platform_tenants t ON t.id = m.tenant_id
            WHERE m.occurred_at >= ?::timestamptz AND m.occurred_at < ?::timestamptz
            GROUP BY m.tenant_id, t.organization_id, m.user_id, m.brand_id, m.provider, m.model
            """;

    private static final String ROLL_MONTH = """
            INSERT INTO admin_usage_reports (grain, period_start, tenant_id, organization_id, user_id, brand_id,
                provider, model, record_count, input_tokens, output_tokens, cost_usd, error_count,
                bigquery_storage_gb, storage_reported_at)
            SELECT 'month', ?, tenant_id, (array_agg(organization_id ORDER BY period_start DESC))[1], user_id, brand_id,
                   provider, model, sum(record_count), sum(input_tokens), sum(output_tokens), sum(cost_usd),
                   sum(error_count),
                   (array_agg(bigquery_storage_gb ORDER BY storage_reported_at DESC, bigquery_storage_gb DESC)
                        FILTER (WHERE bigquery_storage_gb IS NOT NULL))[1],
                   max(storage_reported_at)
            FROM admin_usage_reports
            WHERE grain = 'day' AND period_start >= ? AND period_start < ?
            GROUP BY tenant_id, user_id, brand_id, provider, model
            """;

    /** The per tenant-and-user and per tenant totals the views page by: a sum of the period's rollup rows. */
    private static final String DELETE_USER_TOTALS = "DELETE FROM usage_user_totals WHERE grain = ? AND period_start = ?";

    private static final String DELETE_TENANT_TOTALS = "DELETE FROM usage_tenant_totals WHERE grain = ? AND period_start = ?";

    private static final String ROLL_USER_TOTALS = """
            INSERT INTO usage_user_totals (grain, period_start, tenant_id, user_id, tokens, cost_micros)
            SELECT grain, period_start, tenant_id, user_id, sum(input_tokens + output_tokens), sum(cost_usd) * 1000000
            FROM admin_usage_reports WHERE grain = ? AND period_start = ?
            GROUP BY grain, period_start, tenant_id, user_id
            """;

    private static final String ROLL_TENANT_TOTALS = """
            INSERT INTO usage_tenant_totals (grain, period_start, tenant_id, tokens, cost_micros)
            SELECT grain, period_start, tenant_id, sum(tokens), sum(cost_micros)
            FROM usage_user_totals WHERE grain = ? AND period_start = ?
            GROUP BY grain, period_start, tenant_id
            """;

    private static final String DELETE_HEALTH = "DELETE FROM tenant_health_metrics WHERE day = ANY(?::date[])";

    /**
     * Each day's health, and its growth against the daily average of the 7 days before it. The day rows of the
     * days asked for and of the 7 days before each are read once, by (grain, period_start), and summed per tenant
     * and day; the 7 days before come from a window over those sums. (A join of each tenant-day to its tenant's
     * earlier rows was planned from statistics taken before the rollup wrote those rows, and went quadratic.)
     */
    private static final String ROLL_HEALTH = """
            INSERT INTO tenant_health_metrics (tenant_id, day, active_users, record_count, llm_tokens, cost_usd,
                                               error_count, tokens_growth_pct, cost_growth_pct)
            WITH days AS (
                SELECT tenant_id, period_start AS day, count(DISTINCT user_id) AS active_users,
                       sum(record_count) AS records, sum(input_tokens + output_tokens) AS tokens,
                       sum(cost_usd) AS cost, sum(error_count) AS errors
                FROM admin_usage_reports
                WHERE grain = 'day'
                  AND period_start = ANY(ARRAY(SELECT DISTINCT d - k FROM unnest(?::date[]) d, generate_series(0, 7) k))
                GROUP BY tenant_id, period_start),
            growth AS (
                SELECT d.*, sum(tokens) OVER before / 7.0 AS tokens_before, sum(cost) OVER before / 7.0 AS cost_before
                FROM days d
                WINDOW before AS (PARTITION BY tenant_id ORDER BY day
                                  RANGE BETWEEN interval '7 days' PRECEDING AND interval '1 day' PRECEDING))
            SELECT tenant_id, day, active_users, records, tokens, cost, errors,
                   CASE WHEN tokens_before > 0 THEN round((tokens - tokens_before) * 100 / tokens_before, 2) END,
                   CASE WHEN cost_before > 0 THEN round((cost - cost_before) * 100 / cost_before, 2) END
            FROM growth
            WHERE day = ANY(?::date[])
            """;

    /** Each day's (and month's) rollup rows against the raw records, key by key; rows with NULLs match as equals. */
    private static final String CHECK = """
            WITH raw AS (
                SELECT 'day'::text AS grain, (m.occurred_at AT TIME ZONE 'UTC')::date AS period_start, m.tenant_id,
                       m.user_id, m.brand_id, m.provider, m.model, count(*) AS record_count,
                       sum(m.input_tokens) AS input_tokens, sum(m.output_tokens) AS output_tokens,
                       sum(m.cost_usd) AS cost_usd
                FROM usage_metrics m
                WHERE m.occurred_at >= ?::timestamptz AND m.occurred_at < ?::timestamptz
                GROUP BY 2, 3, 4, 5, 6, 7),
            raw_all AS (
                SELECT * FROM raw
                UNION ALL
                SELECT 'month', date_trunc('month', period_start)::date, tenant_id, user_id, brand_id, provider, model,
                       sum(record_count), sum(input_tokens), sum(output_tokens), sum(cost_usd)
                FROM raw WHERE period_start >= ? AND period_start < ?
                GROUP BY 2, 3, 4, 5, 6, 7),
            rolled AS (
                SELECT grain, period_start, tenant_id, user_id, brand_id, provider, model, record_count,
                       input_tokens, output_tokens, cost_usd
                FROM admin_usage_reports
                WHERE (grain = 'day' AND period_start BETWEEN ? AND ?)
                   OR (grain = 'month' AND period_start >= ? AND period_start < ?))
            SELECT coalesce(r.grain, a.grain) AS grain, coalesce(r.period_start, a.period_start) AS period_start,
                   coalesce(r.tenant_id, a.tenant_id) AS tenant_id, coalesce(r.provider, a.provider) AS provider,
                   coalesce(r.model, a.model) AS model, r.record_count AS raw_records, a.record_count AS rolled_records,
                   r.cost_usd AS raw_cost, a.cost_usd AS rolled_cost
            FROM raw_all r FULL JOIN rolled a
              ON a.grain = r.grain AND a.period_start = r.period_start AND a.tenant_id = r.tenant_id
             AND coalesce(a.user_id, '00000000-0000-0000-0000-000000000000') = coalesce(r.user_id, '00000000-0000-0000-0000-000000000000')
             AND coalesce(a.brand_id, '00000000-0000-0000-0000-000000000000') = coalesce(r.brand_id, '00000000-0000-0000-0000-000000000000')
             AND a.provider = r.provider AND a.model = r.model
            WHERE (r.record_count, r.input_tokens, r.output_tokens, r.cost_usd)
                  IS DISTINCT FROM (a.record_count, a.input_tokens, a.output_tokens, a.cost_usd)
            ORDER BY 1, 2, 3, 4, 5
            LIMIT 100
            """;

    /**
     * The view totals against the raw records, per day and whole month, per tenant and user (provider
     * {@code *users}) and per tenant ({@code *tenants}); costs compared in micro-dollars.
     */
    private static final String CHECK_TOTALS = """
            WITH raw AS (
                SELECT (m.occurred_at AT TIME ZONE 'UTC')::date AS day, m.tenant_id, m.user_id, count(*) AS records,
                       sum(m.input_tokens + m.output_tokens) AS tokens, sum(m.cost_usd) * 1000000 AS micros
                FROM usage_metrics m
                WHERE m.occurred_at >= ?::timestamptz AND m.occurred_at < ?::timestamptz
                GROUP BY 1, 2, 3),
            raw_all AS (
                SELECT 'day'::text AS grain, day AS period_start, tenant_id, user_id, tokens, micros FROM raw
                UNION ALL
                SELECT 'month', date_trunc('month', day)::date, tenant_id, user_id, sum(tokens), sum(micros)
                FROM raw WHERE day >= ? AND day < ?
                GROUP BY 2, 3, 4),
            rolled AS (
                SELECT grain, period_start, tenant_id, user_id, tokens, cost_micros AS micros FROM usage_user_totals
                WHERE (grain = 'day' AND period_start BETWEEN ? AND ?)
                   OR (grain = 'month' AND period_start >= ? AND period_start < ?)),
            raw_tenants AS (
                SELECT grain, period_start, tenant_id, sum(tokens) AS tokens, sum(micros) AS micros FROM raw_all
                GROUP BY 1, 2, 3),
            rolled_tenants AS (
                SELECT grain, period_start, tenant_id, tokens, cost_micros AS micros FROM usage_tenant_totals
                WHERE (grain = 'day' AND period_start BETWEEN ? AND ?)
                   OR (grain = 'month' AND period_start >= ? AND period_start < ?))
            SELECT coalesce(r.grain, a.grain) AS grain, coalesce(r.period_start, a.period_start) AS period_start,
                   coalesce(r.tenant_id, a.tenant_id) AS tenant_id, '*users' AS provider, '*' AS model,
                   r.micros / 1000000 AS raw_cost, a.micros / 1000000.0 AS rolled_cost
            FROM raw_all r FULL JOIN rolled a
              ON a.grain = r.grain AND a.period_start = r.period_start AND a.tenant_id = r.tenant_id
             AND a.user_id IS NOT DISTINCT FROM r.user_id
            WHERE (r.tokens, r.micros) IS DISTINCT FROM (a.tokens, a.micros)
            UNION ALL
            SELECT coalesce(r.grain, a.grain), coalesce(r.period_start, a.period_start), coalesce(r.tenant_id, a.tenant_id),
                   '*tenants', '*', r.micros / 1000000, a.micros / 1000000.0
            FROM raw_tenants r FULL JOIN rolled_tenants a
              ON a.grain = r.grain AND a.period_start = r.period_start AND a.tenant_id = r.tenant_id
            WHERE (r.tokens, r.micros) IS DISTINCT FROM (a.tokens, a.micros)
            ORDER BY 1, 2, 3, 4
            LIMIT 100
            """;

    private final Database database;
    private final AuditLog audit;

    private final ServiceMetrics metrics;

    private final java.time.Clock clock;

    public UsageRollups(Database database, AuditLog audit, ServiceMetrics metrics, java.time.Clock clock) {
        this.database = database;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What a run recomputed, and what the check then found (nothing, unless something is wrong). */
    public record Run(List<LocalDate> days, List<LocalDate> months, List<Difference> differences) {
    }

    /** A key whose rollup differs from the raw records (or exists on one side only). */
    public record Difference(String grain, LocalDate periodStart, String tenantId, String provider, String model,
                             Long rawRecords, Long rolledRecords, java.math.BigDecimal rawCostUsd,
                             java.math.BigDecimal rolledCostUsd) {
    }

    /** The schedule's run: every day ingestion marked dirty since the last one. */
    public Run rollDirtyDays() {
        Run run = database.transaction(connection -> {
            lock(connection);
            SortedSet<LocalDate> days = new TreeSet<>();
            try (PreparedStatement claim = connection.prepareStatement(CLAIM_DIRTY); ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    days.add(rs.getObject(1, LocalDate.class));
                }
            }
            return roll(connection, days);
        });
        LOG.info("usage rollup: {} dirty days, {} months recomputed; {} differences from the raw records",
                run.days().size(), run.months().size(), run.differences().size());
        metrics.count(ServiceMetric.USAGE_ROLLUP_SUCCEEDED);
        return run;
    }

    /** An on-demand run over {@code from..to} (inclusive), whatever is marked dirty; audited with the run. */
    public Run roll(AdminPrincipal admin, UsageRange range) {
        return database.transaction(connection -> {
            Run run = roll(connection, range);
            audit.record(connection, admin, "usage.rollup", "usage_rollup", range.from() + ".." + range.to(),
                    Map.of("date_from", range.from().toString(), "date_to", range.to().toString(),
                            "days", run.days().size(), "differences", run.differences().size()));
            return run;
        });
    }

    /** A run over {@code from..to} (inclusive), for a caller that is no admin (tests, benchmarks, the local run). */
    public Run roll(UsageRange range) {
        return database.transaction(connection -> roll(connection, range));
    }

    private Run roll(Connection connection, UsageRange range) throws SQLException {
        lock(connection);
        try (PreparedStatement claim = connection.prepareStatement(CLAIM_RANGE)) {
            claim.setObject(1, range.from());
            claim.setObject(2, range.to());
            claim.executeUpdate();
        }
        return roll(connection, new TreeSet<>(range.from().datesUntil(range.to().plusDays(1)).toList()));
    }

    /** Compares the rollups of {@code from..to} and of the months those days fill with the raw records. */
    public List<Difference> check(UsageRange range) {
        return database.read(connection -> check(connection, range.from(), range.to()));
    }

    private Run roll(Connection connection, SortedSet<LocalDate> asked) throws SQLException {
        // The raw records of days before the retained horizon are gone (UsageRecordRetention): recomputing such a
        // day would erase its totals, so it keeps the rollup it had when its records were removed.
        LocalDate retainedFrom = UsageRecordRetention.retainedFrom(connection);
        SortedSet<LocalDate> days = retainedFrom == null ? asked : asked.tailSet(retainedFrom);
        if (days.size() < asked.size()) {
            LOG.info("usage rollup: {} day(s) before {} left as rolled up (their raw records are past retention)",
                    asked.size() - days.size(), retainedFrom);
        }
        if (days.isEmpty()) {
            return new Run(List.of(), List.of(), List.of());
        }
        for (LocalDate day : days) {
            delete(connection, "day", day);
            try (PreparedStatement roll = connection.prepareStatement(ROLL_DAY)) {
                roll.setObject(1, day);
                roll.setString(2, utcMidnight(day));
                roll.setString(3, utcMidnight(day.plusDays(1)));
                roll.executeUpdate();
            }
            rollTotals(connection, "day", day);
        }
        SortedSet<LocalDate> months = new TreeSet<>();
        days.forEach(d -> months.add(d.withDayOfMonth(1)));
        for (LocalDate month : months) {
            delete(connection, "month", month);
            try (PreparedStatement roll = connection.prepareStatement(ROLL_MONTH)) {
                roll.setObject(1, month);
                roll.setObject(2, month);
                roll.setObject(3, month.plusMonths(1));
                roll.executeUpdate();
            }
            rollTotals(connection, "month", month);
        }
        UsageRunningTotals.refresh(connection, "day", days);
        UsageRunningTotals.refresh(connection, "month", months);
        UsageRunningTotals.refreshDefaultPages(connection, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        // A day's growth is measured against the 7 days before it: a changed day changes the next 7.
        SortedSet<LocalDate> healthDays = new TreeSet<>();
        days.forEach(d -> d.datesUntil(d.plusDays(8)).forEach(healthDays::add));
        java.sql.Array healthArray = connection.createArrayOf("date", healthDays.stream().map(java.sql.Date::valueOf).toArray());
        try (PreparedStatement delete = connection.prepareStatement(DELETE_HEALTH);
             PreparedStatement roll = connection.prepareStatement(ROLL_HEALTH)) {
            delete.setArray(1, healthArray);
            delete.executeUpdate();
            roll.setArray(1, healthArray);
            roll.setArray(2, healthArray);
            roll.executeUpdate();
        }
        return new Run(List.copyOf(days), List.copyOf(months), check(connection, days.first(), days.last()));
    }

    private static List<Difference> check(Connection connection, LocalDate from, LocalDate to) throws SQLException {
        // Months are checked only where the range covers them whole: a month's rollup sums all its days.
        LocalDate firstWholeMonth = from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
        LocalDate endWholeMonths = to.plusDays(1).withDayOfMonth(1);
        if (endWholeMonths.isBefore(firstWholeMonth)) {
            endWholeMonths = firstWholeMonth;
        }
        List<Difference> differences = new ArrayList<>();
        try (PreparedStatement check = connection.prepareStatement(CHECK)) {
            check.setString(1, utcMidnight(from));
            check.setString(2, utcMidnight(to.plusDays(1)));
            check.setObject(3, firstWholeMonth);
            check.setObject(4, endWholeMonths);
            check.setObject(5, from);
            check.setObject(6, to);
            check.setObject(7, firstWholeMonth);
            check.setObject(8, endWholeMonths);
            try (ResultSet rs = check.executeQuery()) {
                while (rs.next()) {
                    differences.add(new Difference(rs.getString("grain"), rs.getObject("period_start", LocalDate.class),
                            rs.getString("tenant_id"), rs.getString("provider"), rs.getString("model"),
                            count(rs, "raw_records"), count(rs, "rolled_records"),
                            rs.getBigDecimal("raw_cost"), rs.getBigDecimal("rolled_cost")));
                }
            }
        }
        try (PreparedStatement check = connection.prepareStatement(CHECK_TOTALS)) {
            check.setString(1, utcMidnight(from));
            check.setString(2, utcMidnight(to.plusDays(1)));
            int i = 3;
            for (int copy = 0; copy < 3; copy++) {
                check.setObject(i++, copy == 0 ? firstWholeMonth : from);
                check.setObject(i++, copy == 0 ? endWholeMonths : to);
                if (copy > 0) {
                    check.setObject(i++, firstWholeMonth);
                    check.setObject(i++, endWholeMonths);
                }
            }
            try (ResultSet rs = check.executeQuery()) {
                while (rs.next()) {
                    differences.add(new Difference(rs.getString("grain"), rs.getObject("period_start", LocalDate.class),
                            rs.getString("tenant_id"), rs.getString("provider"), rs.getString("model"), null, null,
                            rs.getBigDecimal("raw_cost"), rs.getBigDecimal("rolled_cost")));
                }
            }
        }
        return differences;
    }

    /** Replaces a period's view totals with the sums of its (just recomputed) rollup rows. */
    private static void rollTotals(Connection connection, String grain, LocalDate period) throws SQLException {
        for (String sql : List.of(DELETE_USER_TOTALS, DELETE_TENANT_TOTALS, ROLL_USER_TOTALS, ROLL_TENANT_TOTALS)) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, grain);
                statement.setObject(2, period);
                statement.executeUpdate();
            }
        }
    }

    private static Long count(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** The rollup's lock, if no run holds it, until the caller's transaction ends. */
    static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(TRY_LOCK); ResultSet rs = lock.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static void lock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.execute();
        }
    }

    private static void delete(Connection connection, String grain, LocalDate period) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE_PERIOD)) {
            delete.setString(1, grain);
            delete.setObject(2, period);
            delete.executeUpdate();
        }
    }

    /** A UTC instant, never a date cast in the session's time zone. */
    static String utcMidnight(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC).toString();
    }
}
