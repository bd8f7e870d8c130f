package com.engarde.signupsync.platform;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;

/**
 * What the daily and monthly views read (migration V35), and how the rollup keeps it: running (prefix-sum)
 * totals per key, so a range's total is two index reads per key; each storage series' latest level per
 * period; and the ranked rows of the default ranges, recomputed at the end of every run.
 */
final class UsageRunningTotals {

    static final String NIL = "'00000000-0000-0000-0000-000000000000'::uuid";

    /** The default pages keep their model breakdown up to this rank: every page a frontend opens first. */
    static final int RANKS_WITH_MODELS = UsageQuery.MAX_PAGE_SIZE;

    private UsageRunningTotals() {
    }

    /**
     * Whether a range is long enough for the running totals: two index reads per key (about 100,000 keys at 20
     * million records) cost about as much as summing some 60 days of view totals, or 3 months.
     */
    static boolean longRange(UsageQuery query) {
        return query.viewMode() == ViewMode.MONTHLY
                ? query.range().from().plusMonths(LONG_MONTHS).isBefore(query.range().to().plusDays(1))
                : query.range().days() > LONG_DAYS;
    }

    static final int LONG_DAYS = 60;
    static final int LONG_MONTHS = 3;

    static String grain(ViewMode mode) {
        return mode == ViewMode.DAILY ? "day" : "month";
    }

    /**
     * Per row key of the range, its tokens and cost in micro-dollars: the running total at the key's last
     * period up to {@code to}, less the one at its last period before {@code from}. A key without a period in
     * the range has no row. Columns: tenant_id, (user_id,) tokens, micros.
     */
    static String rowset(UsageReports.Rows rows, String grain, LocalDate from, LocalDate to, String keyFilters,
                         List<Object> keyFilterParams, List<Object> params) {
        boolean users = rows == UsageReports.Rows.USERS;
        String table = users ? "usage_user_running" : "usage_tenant_running";
        String keys = users
                ? "SELECT m.tenant_id, m.user_key FROM usage_running_keys m WHERE m.grain = ?" + keyFilters
                : "SELECT DISTINCT m.tenant_id FROM usage_running_keys m WHERE m.grain = ?" + keyFilters;
        String probe = "r.grain = ? AND r.tenant_id = k.tenant_id" + (users ? " AND r.user_key = k.user_key" : "");
        params.add(grain);
        params.addAll(keyFilterParams);
        params.add(grain);
        params.add(to);
        params.add(grain);
        params.add(from);
        params.add(from);
        return """
                SELECT k.tenant_id, %s hi.tokens_through - coalesce(lo.tokens_through, 0) AS tokens,
                       hi.micros_through - coalesce(lo.micros_through, 0) AS micros
                FROM (%s) k
                CROSS JOIN LATERAL (SELECT r.period_start, r.tokens_through, r.micros_through FROM %s r
                                    WHERE %s AND r.period_start <= ? ORDER BY r.period_start DESC LIMIT 1) hi
                LEFT JOIN LATERAL (SELECT r.tokens_through, r.micros_through FROM %s r
                                   WHERE %s AND r.period_start < ? ORDER BY r.period_start DESC LIMIT 1) lo ON true
                WHERE hi.period_start >= ?""".formatted(users ? "nullif(k.user_key, " + NIL + ") AS user_id," : "",
                keys, table, probe, table, probe);
    }

    /**
     * The latest storage level of every series with a level in the range: the one of its last period there
     * (an array's max compares the period first, so this is one hashed pass, no sort). Columns: tenant_id,
     * user_id, brand_id, storage_gb.
     */
    static String series(String grain, LocalDate from, LocalDate to, String filters, List<Object> filterParams,
                         List<Object> params) {
        params.add(grain);
        params.add(from);
        params.add(to);
        params.addAll(filterParams);
        return """
                SELECT m.tenant_id, nullif(m.user_key, %s) AS user_id, nullif(m.brand_key, %s) AS brand_id,
                       (max(ARRAY[(m.period_start - DATE '2000-01-01')::numeric, m.storage_gb]))[2] AS storage_gb
                FROM usage_storage_levels m
                WHERE m.grain = ? AND m.period_start BETWEEN ? AND ?%s
                GROUP BY m.tenant_id, m.user_key, m.brand_key""".formatted(NIL, NIL, filters);
    }

    // ---- kept by the rollup ----

    private static final String DELETE_USER_RUNNING = "DELETE FROM usage_user_running WHERE grain = ? AND period_start >= ?";
    private static final String DELETE_TENANT_RUNNING = "DELETE FROM usage_tenant_running WHERE grain = ? AND period_start >= ?";

    /**
     * From the first recomputed period on, every key's running totals again, on top of its last one before: that
     * last one enters the window as a row of its own (no join, so no plan depends on estimates of the rows this
     * transaction has just written, which statistics do not know yet).
     */
    private static final String ROLL_USER_RUNNING = """
            INSERT INTO usage_user_running (grain, tenant_id, user_key, period_start, tokens_through, micros_through)
            WITH fresh AS MATERIALIZED (
                SELECT tenant_id, coalesce(user_id, %1$s) AS user_key, period_start, tokens, cost_micros
                FROM usage_user_totals WHERE grain = ? AND period_start >= ?),
            base AS (
                SELECT k.tenant_id, k.user_key, b.period_start, b.tokens_through, b.micros_through
                FROM (SELECT DISTINCT tenant_id, user_key FROM fresh) k
                CROSS JOIN LATERAL (SELECT r.period_start, r.tokens_through, r.micros_through FROM usage_user_running r
                                    WHERE r.grain = ? AND r.tenant_id = k.tenant_id AND r.user_key = k.user_key
                                      AND r.period_start < ? ORDER BY r.period_start DESC LIMIT 1) b),
            running AS (
                SELECT is_fresh, tenant_id, user_key, period_start, sum(tokens) OVER w AS tokens, sum(cost_micros) OVER w AS micros
                FROM (SELECT true AS is_fresh, * FROM fresh UNION ALL SELECT false, * FROM base) r
                WINDOW w AS (PARTITION BY tenant_id, user_key ORDER BY period_start))
            SELECT ?, tenant_id, user_key, period_start, tokens, micros FROM running WHERE is_fresh
            """.formatted(NIL);

    private static final String ROLL_TENANT_RUNNING = """
            INSERT INTO usage_tenant_running (grain, tenant_id, period_start, tokens_through, micros_through)
            WITH fresh AS MATERIALIZED (
                SELECT tenant_id, period_start, tokens, cost_micros
                FROM usage_tenant_totals WHERE grain = ? AND period_start >= ?),
            base AS (
                SELECT k.tenant_id, b.period_start, b.tokens_through, b.micros_through
                FROM (SELECT DISTINCT tenant_id FROM fresh) k
                CROSS JOIN LATERAL (SELECT r.period_start, r.tokens_through, r.micros_through FROM usage_tenant_running r
                                    WHERE r.grain = ? AND r.tenant_id = k.tenant_id AND r.period_start < ?
                                    ORDER BY r.period_start DESC LIMIT 1) b),
            running AS (
                SELECT is_fresh, tenant_id, period_start, sum(tokens) OVER w AS tokens, sum(cost_micros) OVER w AS micros
                FROM (SELECT true AS is_fresh, * FROM fresh UNION ALL SELECT false, * FROM base) r
                WINDOW w AS (PARTITION BY tenant_id ORDER BY period_start))
            SELECT ?, tenant_id, period_start, tokens, micros FROM running WHERE is_fresh
            """;

    private static final String ADD_KEYS = """
            INSERT INTO usage_running_keys (grain, tenant_id, user_key)
            SELECT DISTINCT grain, tenant_id, coalesce(user_id, %s) FROM usage_user_totals
            WHERE grain = ? AND period_start = ANY(?::date[])
            ON CONFLICT DO NOTHING
            """.formatted(NIL);

    private static final String DELETE_LEVELS = "DELETE FROM usage_storage_levels WHERE grain = ? AND period_start = ANY(?::date[])";

    /** A series' latest level in a period: the one reported last (ties: the larger), as the rollup rows say. */
    private static final String ROLL_LEVELS = """
            INSERT INTO usage_storage_levels (grain, period_start, tenant_id, user_key, brand_key, storage_gb)
            SELECT grain, period_start, tenant_id, coalesce(user_id, %1$s), coalesce(brand_id, %1$s),
                   (array_agg(bigquery_storage_gb ORDER BY storage_reported_at DESC, bigquery_storage_gb DESC))[1]
            FROM admin_usage_reports
            WHERE grain = ? AND period_start = ANY(?::date[]) AND bigquery_storage_gb IS NOT NULL
            GROUP BY grain, period_start, tenant_id, user_id, brand_id
            """.formatted(NIL);

    /** After a grain's periods were recomputed: their levels and keys, and the running totals from the first on. */
    static void refresh(Connection connection, String grain, SortedSet<LocalDate> periods) throws SQLException {
        if (periods.isEmpty()) {
            return;
        }
        Array array = connection.createArrayOf("date", periods.stream().map(java.sql.Date::valueOf).toArray());
        execute(connection, DELETE_LEVELS, grain, array);
        execute(connection, ROLL_LEVELS, grain, array);
        execute(connection, ADD_KEYS, grain, array);
        LocalDate first = periods.first();
        execute(connection, DELETE_USER_RUNNING, grain, first);
        execute(connection, ROLL_USER_RUNNING, grain, first, grain, first, grain);
        execute(connection, DELETE_TENANT_RUNNING, grain, first);
        execute(connection, ROLL_TENANT_RUNNING, grain, first, grain, first, grain);
    }

    /** The ranked rows and totals of the default range of each view mode and row kind, as of {@code today}. */
    static void refreshDefaultPages(Connection connection, LocalDate today) throws SQLException {
        // The ranking joins what this run just wrote: planned from statistics that know those rows (ANALYZE counts
        // the rows its own transaction inserted).
        execute(connection, "ANALYZE usage_running_keys, usage_user_running, usage_tenant_running, usage_storage_levels");
        execute(connection, "SET LOCAL enable_memoize = off");
        execute(connection, "DELETE FROM usage_default_pages");
        execute(connection, "DELETE FROM usage_default_totals");
        for (ViewMode mode : List.of(ViewMode.DAILY, ViewMode.MONTHLY)) {
            UsageRange range = UsageQuery.defaultRange(mode, today);
            for (UsageReports.Rows rows : UsageReports.Rows.values()) {
                defaultPage(connection, grain(mode), range, rows);
            }
        }
    }

    private static void defaultPage(Connection connection, String grain, UsageRange range, UsageReports.Rows rows)
            throws SQLException {
        boolean users = rows == UsageReports.Rows.USERS;
        String kind = users ? "users" : "tenants";
        List<Object> params = new java.util.ArrayList<>();
        String rowset = rowset(rows, grain, range.from(), range.to(), "", List.of(), params);
        String series = series(grain, range.from(), range.to(), "", List.of(), params);
        String match = users ? "s.tenant_id = r.tenant_id AND coalesce(s.user_id, " + NIL + ") = coalesce(r.user_id, " + NIL + ")"
                : "s.tenant_id = r.tenant_id";
        params.add(grain);
        params.add(kind);
        String insert = """
                INSERT INTO usage_default_pages (grain, row_kind, rank, tenant_id, user_id, tokens, cost_micros, storage_gb)
                WITH rowset AS MATERIALIZED (%s),
                series AS MATERIALIZED (%s),
                storage AS (SELECT %s, sum(storage_gb) AS storage FROM series GROUP BY %s)
                SELECT ?, ?, row_number() OVER (ORDER BY r.micros DESC, r.tenant_id%s), r.tenant_id, %s, r.tokens, r.micros,
                       coalesce(s.storage, 0)
                FROM rowset r LEFT JOIN storage s ON %s
                """.formatted(rowset, series, rows.key, rows.key, users ? ", r.user_id NULLS FIRST" : "",
                users ? "r.user_id" : "NULL::uuid", match);
        execute(connection, insert, params.toArray());
        execute(connection, """
                INSERT INTO usage_default_totals (grain, row_kind, range_from, range_to, ranks_with_models, total_count,
                    total_tokens, total_micros, total_storage, platform_micros)
                SELECT ?, ?, ?, ?, ?, count(*), coalesce(sum(tokens), 0), coalesce(sum(cost_micros), 0),
                       coalesce(sum(storage_gb), 0),
                       coalesce(sum(cost_micros) FILTER (WHERE tenant_id = '%s'::uuid), 0)
                FROM usage_default_pages WHERE grain = ? AND row_kind = ?
                """.formatted(PlatformIdentity.TENANT_ID), grain, kind, range.from(), range.to(), RANKS_WITH_MODELS,
                grain, kind);
        String keys = users ? "m.tenant_id, m.user_id" : "m.tenant_id";
        String pageMatch = users ? "p.tenant_id = f.tenant_id AND coalesce(p.user_id, " + NIL + ") = coalesce(f.user_id, " + NIL + ")"
                : "p.tenant_id = f.tenant_id";
        execute(connection, """
                UPDATE usage_default_pages p SET models = f.models
                FROM (SELECT %s, jsonb_agg(jsonb_build_object('provider', m.provider, 'model', m.model,
                                 'llm_tokens', m.tokens, 'cost_usd', m.cost) ORDER BY m.provider, m.model) AS models
                      FROM (SELECT %s, m.provider, m.model, sum(m.input_tokens + m.output_tokens) AS tokens,
                                   sum(m.cost_usd) AS cost
                            FROM admin_usage_reports m
                            WHERE m.grain = ? AND m.period_start BETWEEN ? AND ?
                              AND m.tenant_id IN (SELECT tenant_id FROM usage_default_pages
                                                  WHERE grain = ? AND row_kind = ? AND rank <= ?)
                            GROUP BY %s, m.provider, m.model) m
                      GROUP BY %s) f
                WHERE p.grain = ? AND p.row_kind = ? AND p.rank <= ? AND %s
                """.formatted(keys, keys, keys, keys, pageMatch), grain, range.from(), range.to(), grain, kind,
                RANKS_WITH_MODELS, grain, kind, RANKS_WITH_MODELS);
    }

    private static void execute(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.executeUpdate();
        }
    }
}
