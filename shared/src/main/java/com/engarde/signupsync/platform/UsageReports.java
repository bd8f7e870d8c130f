package com.engarde.signupsync.platform;

import io.micronaut.core.annotation.Nullable;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.inject.Singleton;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The usage views by user and by tenant, and their export. Realtime reads the raw records of the last 24
 * hours; daily and monthly read the rollups. Every view is one statement: the rows, their model breakdown,
 * the page, and the totals over every row (not only the page), so totals and rows always agree.
 *
 * <p>Storage is a level: a row's storage is the sum, over its tenant/brand/user series, of each series'
 * latest level reported in the period (the same rule as the rollups', so raw and rolled views agree).
 */
@Singleton
public class UsageReports {

    /** What a view's rows are: one per tenant and user, or one per tenant. */
    public enum Rows {
        USERS("tenant_id, user_id"), TENANTS("tenant_id");

        final String key;

        Rows(String key) {
            this.key = key;
        }
    }

    public record ModelUsage(String provider, String model, long llmTokens, BigDecimal costUsd) {
    }

    public record UsageRow(UUID tenantId, String tenantName, String planTier, boolean isPlatform, @Nullable UUID userId,
                           @Nullable String email, long llmTokens, BigDecimal bigqueryStorageGb, BigDecimal totalCostUsd,
                           List<ModelUsage> models) {
    }

    public record UsagePage(String viewMode, @Nullable LocalDate dateFrom, @Nullable LocalDate dateTo, int page, int pageSize,
                            long totalCount, long totalLlmTokens, BigDecimal totalLlmCostUsd,
                            BigDecimal totalBigqueryStorageGb, BigDecimal platformUsageUsd,
                            BigDecimal customerUsageUsd, List<UsageRow> rows) {
    }

    private static final String NO_ID = "'00000000-0000-0000-0000-000000000000'::uuid";
    private static final String PLATFORM = "'" + PlatformIdentity.TENANT_ID + "'::uuid";
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(6);

    private final Database database;
    private final ObjectMapper json;
    private final ObjectReader exact;

    public UsageReports(Database database, ObjectMapper json) {
        this.database = database;
        this.json = json;
        this.exact = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    public UsagePage page(UsageQuery query, Rows rows) {
        if (fromTotals(query) && query.tenantId() == null && query.planTier() == null
                && query.offset() + query.pageSize() <= UsageRunningTotals.RANKS_WITH_MODELS) {
            UsagePage precomputed = database.snapshot(connection -> defaultPage(connection, query, rows));
            if (precomputed != null) {
                return precomputed;
            }
        }
        Statements sql = fromTotals(query) ? totalsPage(query, rows) : recordsPage(query, rows);
        return database.transaction(connection -> {
            roomForOneAggregate(connection);
            List<UsageRow> found = new ArrayList<>();
            Totals totals = null;
            try (PreparedStatement ps = prepare(connection, sql.page, sql.pageParams); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(row(rs, rows));
                    totals = Totals.of(rs);
                }
            }
            if (totals == null) {
                // No row on this page for the window sums to ride on: the totals are asked for alone.
                try (PreparedStatement ps = prepare(connection, sql.totals, sql.totalsParams);
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    totals = Totals.of(rs);
                }
            }
            boolean realtime = query.viewMode() == ViewMode.REALTIME;
            return new UsagePage(query.viewMode().id(), realtime ? null : query.range().from(),
                    realtime ? null : query.range().to(), query.page(), query.pageSize(), totals.count(),
                    totals.tokens(), totals.cost(), totals.storage(), totals.platform(),
                    totals.cost().subtract(totals.platform()), found);
        });
    }

    /**
     * The page as the last rollup ranked it, when the query asks for a default range (the last 30 days, the last
     * 12 months) as of that run's day, unfiltered; null otherwise.
     */
    private UsagePage defaultPage(Connection connection, UsageQuery query, Rows rows) throws SQLException {
        String grain = UsageRunningTotals.grain(query.viewMode());
        String kind = rows == Rows.USERS ? "users" : "tenants";
        Totals totals;
        try (PreparedStatement ps = prepare(connection, """
                SELECT total_count, total_tokens, total_micros * 0.000001 AS total_cost, total_storage,
                       platform_micros * 0.000001 AS platform_cost
                FROM usage_default_totals
                WHERE grain = ? AND row_kind = ? AND range_from = ? AND range_to = ? AND ranks_with_models >= ?""",
                List.of(grain, kind, query.range().from(), query.range().to(), query.offset() + query.pageSize()));
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            totals = Totals.of(rs);
        }
        List<UsageRow> found = new ArrayList<>();
        try (PreparedStatement ps = prepare(connection, """
                SELECT p.tenant_id, p.user_id, p.tokens, p.cost_micros * 0.000001 AS cost, p.storage_gb AS storage,
                       t.name AS tenant_name, t.plan_tier, u.email, p.models::text AS models
                FROM usage_default_pages p JOIN platform_tenants t ON t.id = p.tenant_id
                LEFT JOIN platform_users u ON u.id = p.user_id
                WHERE p.grain = ? AND p.row_kind = ? AND p.rank > ? AND p.rank <= ?
                ORDER BY p.rank""", List.of(grain, kind, query.offset(), query.offset() + query.pageSize()));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.add(row(rs, rows));
            }
        }
        return new UsagePage(query.viewMode().id(), query.range().from(), query.range().to(), query.page(),
                query.pageSize(), totals.count(), totals.tokens(), totals.cost(), totals.storage(), totals.platform(),
                totals.cost().subtract(totals.platform()), found);
    }

    /** A page and, for a page past the last row, the totals alone; each with its parameters. */
    private record Statements(String page, List<Object> pageParams, String totals, List<Object> totalsParams) {
    }

    /**
     * Daily and monthly views without a brand filter read the view totals (one row per key and period), and
     * the rollup rows only for the page's model breakdown and for storage (rows that report it, by index).
     */
    private static boolean fromTotals(UsageQuery query) {
        return query.viewMode() != ViewMode.REALTIME && query.brandId() == null;
    }

    private static Statements recordsPage(UsageQuery query, Rows rows) {
        SqlParts sql = view(query, rows);
        // The window sums run over every row before the page is cut; the models only for the page's rows.
        String statement = sql.with + """
                , ranked AS (
                    SELECT r.*, count(*) OVER () AS total_count, sum(r.tokens) OVER () AS total_tokens,
                           sum(r.cost) OVER () AS total_cost, sum(r.storage) OVER () AS total_storage,
                           sum(CASE WHEN r.tenant_id = %s THEN r.cost ELSE 0 END) OVER () AS platform_cost
                    FROM rowset r ORDER BY %s LIMIT ? OFFSET ?)
                """.formatted(PLATFORM, order(rows)) + select(rows, "ranked",
                "total_count, total_tokens, total_cost, total_storage, platform_cost");
        List<Object> params = new ArrayList<>(sql.params);
        params.add(query.pageSize());
        params.add(query.offset());
        String totals = sql.with + """
                SELECT count(*) AS total_count, sum(tokens) AS total_tokens, sum(cost) AS total_cost,
                       sum(storage) AS total_storage,
                       sum(CASE WHEN tenant_id = %s THEN cost ELSE 0 END) AS platform_cost
                FROM rowset""".formatted(PLATFORM);
        return new Statements(statement, params, totals, sql.params);
    }

    private static Statements totalsPage(UsageQuery query, Rows rows) {
        SqlParts sql = totalsView(query, rows);
        String key = rows.key;
        String statement = sql.with + """
                , ranked AS MATERIALIZED (
                    SELECT r.*, r.micros * 0.000001 AS cost, coalesce(s.storage, 0) AS storage
                    FROM (SELECT r.*, count(*) OVER () AS total_count, sum(r.tokens) OVER () AS total_tokens,
                                 sum(r.micros) OVER () * 0.000001 AS total_cost,
                                 sum(CASE WHEN r.tenant_id = %s THEN r.micros ELSE 0 END) OVER () * 0.000001 AS platform_cost
                          FROM rowset r ORDER BY %s LIMIT ? OFFSET ?) r
                    LEFT JOIN storage s ON %s),
                src AS MATERIALIZED (
                    SELECT m.tenant_id, m.user_id, m.provider, m.model, m.input_tokens + m.output_tokens AS tokens,
                           m.cost_usd AS cost
                    FROM admin_usage_reports m
                    WHERE m.tenant_id IN (SELECT tenant_id FROM ranked) AND m.grain = ? AND m.period_start BETWEEN ? AND ?),
                flows AS (SELECT %s, provider, model, sum(tokens) AS tokens, sum(cost) AS cost FROM src
                          GROUP BY %s, provider, model)
                """.formatted(PLATFORM, "r." + micros(rows).replace(", ", ", r."), match(rows, "s", "r"), key, key)
                + select(rows, "ranked", "total_count, total_tokens, total_cost, platform_cost,"
                + " (SELECT sum(storage_gb) FROM series) AS total_storage");
        List<Object> params = new ArrayList<>(sql.params);
        params.add(query.pageSize());
        params.add(query.offset());
        period(query, params);
        String totals = sql.with + """
                SELECT count(*) AS total_count, sum(tokens) AS total_tokens, sum(micros) * 0.000001 AS total_cost,
                       (SELECT sum(storage_gb) FROM series) AS total_storage,
                       sum(CASE WHEN tenant_id = %s THEN micros ELSE 0 END) * 0.000001 AS platform_cost
                FROM rowset""".formatted(PLATFORM);
        return new Statements(statement, params, totals, sql.params);
    }

    /**
     * The totals view's common part: {@code rowset} (per row key: tokens and cost in micro-dollars, from the
     * view totals), {@code series} (the latest storage level of every tenant/user/brand series in the range)
     * and {@code storage} (per row key).
     */
    private static SqlParts totalsView(UsageQuery query, Rows rows) {
        List<Object> params = new ArrayList<>();
        List<Object> filterParams = new ArrayList<>();
        String filters = tenantFilters(query, filterParams);
        String grain = UsageRunningTotals.grain(query.viewMode());
        String rowset;
        if (query.tenantId() == null && UsageRunningTotals.longRange(query)) {
            // Two index reads per key, however long the range.
            rowset = UsageRunningTotals.rowset(rows, grain, query.range().from(), query.range().to(), filters,
                    filterParams, params);
        } else {
            // One tenant's rows, or a short range's, are fewer than two reads per key: summed directly.
            String table = rows == Rows.USERS ? "usage_user_totals" : "usage_tenant_totals";
            String keys = rows == Rows.USERS ? "m.tenant_id, m.user_id" : "m.tenant_id";
            rowset = "SELECT " + keys + ", sum(m.tokens) AS tokens, sum(m.cost_micros) AS micros FROM " + table
                    + " m WHERE " + period(query, params) + tenantFilters(query, params) + " GROUP BY " + keys;
        }
        String series = UsageRunningTotals.series(grain, query.range().from(), query.range().to(), filters,
                filterParams, params);
        String with = """
                WITH rowset AS MATERIALIZED (%s),
                series AS MATERIALIZED (%s),
                storage AS (SELECT %s, sum(storage_gb) AS storage FROM series GROUP BY %s)
                """.formatted(rowset, series, rows.key, rows.key);
        return new SqlParts(with, params);
    }

    /** The rollup grain and UTC days of a daily or monthly view, for a table aliased m. */
    private static String period(UsageQuery query, List<Object> params) {
        params.add(query.viewMode() == ViewMode.DAILY ? "day" : "month");
        params.add(query.range().from());
        params.add(query.range().to());
        return "m.grain = ? AND m.period_start BETWEEN ? AND ?";
    }

    /** The tenant and plan filters, for a table aliased m that has a tenant_id. */
    private static String tenantFilters(UsageQuery query, List<Object> params) {
        String sql = "";
        if (query.tenantId() != null) {
            sql += " AND m.tenant_id = ?";
            params.add(query.tenantId());
        }
        if (query.planTier() != null) {
            sql += " AND m.tenant_id IN (SELECT id FROM platform_tenants WHERE plan_tier = ?)";
            params.add(query.planTier());
        }
        return sql;
    }

    /**
     * Summing 100,000 keys is one hash table; PostgreSQL's default 4 MB work_mem would spill it to disk.
     * Local to the view's transaction.
     */
    private static void roomForOneAggregate(Connection connection) throws SQLException {
        try (Statement set = connection.createStatement()) {
            set.execute("SET LOCAL work_mem = '64MB'");
            // A cache of the per-key reads of the running totals only costs: every key is read once.
            set.execute("SET LOCAL enable_memoize = off");
        }
    }

    private record Totals(long count, long tokens, BigDecimal cost, BigDecimal storage, BigDecimal platform) {
        static Totals of(ResultSet rs) throws SQLException {
            return new Totals(rs.getLong("total_count"), rs.getLong("total_tokens"), scaled(rs.getBigDecimal("total_cost")),
                    scaled(rs.getBigDecimal("total_storage")), scaled(rs.getBigDecimal("platform_cost")));
        }
    }

    /** How much of an export one call wrote: its rows, and whether they were the last. */
    public record ExportPart(long rows, boolean complete) {
    }

    private static final String[] CSV_HEADER = {"tenant_id", "tenant_name", "plan_tier", "is_platform", "user_id",
            "email", "llm_tokens", "bigquery_storage_gb", "total_cost_usd"};

    /**
     * Every row of the view, as CSV (RFC 4180, UTF-8, a header row), written as the database streams them; no
     * cell starts a formula ({@link #cell}).
     */
    public long exportCsv(UsageQuery query, Rows rows, Writer out) {
        return exportCsv(query, rows, 0, Long.MAX_VALUE, out).rows();
    }

    /**
     * The rows of the view from {@code offset} on, as CSV, until the next row would take the output past
     * {@code maxBytes} of UTF-8 (the header counts): then it stops at that row boundary and says so.
     */
    public ExportPart exportCsv(UsageQuery query, Rows rows, long offset, long maxBytes, Writer out) {
        StringBuilder line = new StringBuilder(256);
        CSVPrinter csv;
        try {
            csv = CSVFormat.RFC4180.builder().setHeader(CSV_HEADER).get().print(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Bounded output = new Bounded(out, maxBytes);
        String statement;
        List<Object> params;
        LineWriter writer;
        if (fromTotals(query)) {
            // Text straight from the result set into the printer: no row object, no BigDecimal, no UUID.
            SqlParts sql = totalsView(query, rows);
            statement = sql.with + """
                    SELECT r.tenant_id::text, t.name, t.plan_tier,
                           CASE WHEN r.tenant_id = %s THEN 'true' ELSE 'false' END, %s, %s, r.tokens::text,
                           coalesce(s.storage, 0)::numeric(20,6)::text, (r.micros * 0.000001)::text
                    FROM rowset r JOIN platform_tenants t ON t.id = r.tenant_id
                    %s
                    LEFT JOIN storage s ON %s
                    ORDER BY %s
                    OFFSET ?
                    """.formatted(PLATFORM, rows == Rows.USERS ? "r.user_id::text" : "NULL",
                    rows == Rows.USERS ? "u.email" : "NULL",
                    rows == Rows.USERS ? "LEFT JOIN platform_users u ON u.id = r.user_id" : "",
                    match(rows, "s", "r"), "r." + micros(rows).replace(", ", ", r."));
            params = new ArrayList<>(sql.params);
            writer = rs -> {
                for (int i = 1; i <= CSV_HEADER.length; i++) {
                    csv.print(cell(rs.getString(i)));
                }
                csv.println();
            };
        } else {
            SqlParts sql = view(query, rows);
            statement = sql.with + select(rows, "rowset", null) + " OFFSET ?";
            params = new ArrayList<>(sql.params);
            writer = rs -> {
                UsageRow r = row(rs, rows);
                for (Object value : new Object[]{r.tenantId(), r.tenantName(), r.planTier(), r.isPlatform(), r.userId(),
                        r.email(), r.llmTokens(), r.bigqueryStorageGb().toPlainString(), r.totalCostUsd().toPlainString()}) {
                    csv.print(value == null ? null : cell(value.toString()));
                }
                csv.println();
            };
        }
        params.add(offset);
        return stream(statement, params, output, line, new LineSink() {
            @Override
            public void start() {
                // The printer wrote the header into the line when it was made.
            }

            @Override
            public void row(ResultSet rs) throws IOException, SQLException {
                writer.write(rs);
            }

            @Override
            public String end() {
                return "";
            }
        });
    }

    /**
     * A CSV cell as a spreadsheet cannot run it: one starting with {@code = + - @}, a tab or a carriage return
     * (tenant names and emails come from usage records, that is from any tenant) gets a leading single quote,
     * OWASP's rule against formula injection.
     */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        return formula ? "'" + value : value;
    }

    /** Every row of the view with its model breakdown, as a JSON array written as the database streams them. */
    public long exportJson(UsageQuery query, Rows rows, Writer out) {
        return exportJson(query, rows, 0, Long.MAX_VALUE, out).rows();
    }

    /** As {@link #exportCsv(UsageQuery, Rows, long, long, Writer)}, as one JSON array (the brackets count). */
    public ExportPart exportJson(UsageQuery query, Rows rows, long offset, long maxBytes, Writer out) {
        SqlParts sql = view(query, rows);
        List<Object> params = new ArrayList<>(sql.params);
        params.add(offset);
        StringBuilder line = new StringBuilder(512);
        return stream(sql.with + select(rows, "rowset", null) + " OFFSET ?", params, new Bounded(out, maxBytes - 1),
                line, new LineSink() {
                    boolean first = true;

                    @Override
                    public void start() {
                        line.append('[');
                    }

                    @Override
                    public void row(ResultSet rs) throws IOException, SQLException {
                        if (!first) {
                            line.append(',');
                        }
                        first = false;
                        line.append(json.writeValueAsString(UsageReports.this.row(rs, rows)));
                    }

                    @Override
                    public String end() {
                        return "]";
                    }
                });
    }

    /** Writes a row of a result set as one line of an export. */
    private interface LineWriter {
        void write(ResultSet rs) throws IOException, SQLException;
    }

    /** An export format: what comes first, one row (appended to the line), and what closes it. */
    private interface LineSink {
        void start() throws IOException;

        void row(ResultSet rs) throws IOException, SQLException;

        String end() throws IOException;
    }

    /** The output of an export, which takes a line only while the UTF-8 bytes written stay within a limit. */
    private static final class Bounded {
        private final Writer out;
        private final long maxBytes;
        private long bytes;

        Bounded(Writer out, long maxBytes) {
            this.out = out;
            this.maxBytes = maxBytes;
        }

        /** Takes the line if it fits, or if it is the first row (so every part moves the export on). */
        boolean offer(CharSequence line, boolean first) throws IOException {
            long size = utf8Length(line);
            if (bytes + size > maxBytes && !first) {
                return false;
            }
            out.append(line);
            bytes += size;
            return true;
        }

        private static long utf8Length(CharSequence text) {
            long n = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            }
            return n;
        }
    }

    private ExportPart stream(String statement, List<Object> params, Bounded output, StringBuilder line, LineSink sink) {
        // A cursor needs a transaction: with autocommit the driver would read every row before the first.
        return database.transaction(connection -> {
            roomForOneAggregate(connection);
            long n = 0;
            boolean complete = true;
            try (PreparedStatement ps = prepare(connection, statement, params)) {
                ps.setFetchSize(5000);
                try (ResultSet rs = ps.executeQuery()) {
                    sink.start();
                    while (rs.next()) {
                        sink.row(rs);
                        if (!output.offer(line, n == 0)) {
                            complete = false;
                            break;
                        }
                        line.setLength(0);
                        n++;
                    }
                    if (!complete) {
                        // The line that did not fit may hold the start (a header); what was offered stands.
                        line.setLength(0);
                    }
                    line.append(sink.end());
                    output.out.append(line);
                    output.out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the export could not be written", e);
            }
            return new ExportPart(n, complete);
        });
    }

    /** The rows in their one stable order: cost, then the row key. */
    private static String order(Rows rows) {
        return rows == Rows.USERS ? "cost DESC, tenant_id, user_id NULLS FIRST" : "cost DESC, tenant_id";
    }

    /** The same order over the view totals' micro-dollars. */
    private static String micros(Rows rows) {
        return order(rows).replace("cost DESC", "micros DESC");
    }

    /**
     * The rows of {@code from} with names and their model breakdown, in order. The breakdown is one grouped
     * pass over {@code flows} joined by key (hashable), never a lookup per row.
     */
    private static String select(Rows rows, String from, String extraColumns) {
        boolean users = rows == Rows.USERS;
        String keys = users ? "f.tenant_id, f.user_id" : "f.tenant_id";
        String only = !from.equals("ranked") ? "" : users
                ? " WHERE (f.tenant_id, coalesce(f.user_id, " + NO_ID + ")) IN (SELECT tenant_id, coalesce(user_id, "
                        + NO_ID + ") FROM ranked)"
                : " WHERE f.tenant_id IN (SELECT tenant_id FROM ranked)";
        return """
                SELECT r.tenant_id, %s r.tokens, r.cost, r.storage, t.name AS tenant_name, t.plan_tier,
                       %s AS email, m.models::text AS models %s
                FROM %s r JOIN platform_tenants t ON t.id = r.tenant_id
                %s
                LEFT JOIN (SELECT %s, jsonb_agg(jsonb_build_object('provider', f.provider, 'model', f.model,
                                   'llm_tokens', f.tokens, 'cost_usd', f.cost) ORDER BY f.provider, f.model) AS models
                           FROM flows f%s GROUP BY %s) m ON %s
                ORDER BY %s
                """.formatted(users ? "r.user_id," : "", users ? "u.email" : "NULL::text",
                extraColumns == null ? "" : ", " + extraColumns, from,
                users ? "LEFT JOIN platform_users u ON u.id = r.user_id" : "", keys, only, keys,
                match(rows, "m", "r"), "r." + order(rows).replace(", ", ", r."));
    }

    private record SqlParts(String with, List<Object> params) {
    }

    /**
     * The view's common part: {@code src} (the records or rollup rows that pass the filters), {@code flows}
     * (per row key, provider and model) and {@code rowset} (per row key, with its storage).
     */
    private static SqlParts view(UsageQuery query, Rows rows) {
        List<Object> params = new ArrayList<>();
        String src;
        if (query.viewMode() == ViewMode.REALTIME) {
            src = """
                    SELECT m.tenant_id, m.user_id, m.brand_id, m.provider, m.model,
                           m.input_tokens + m.output_tokens AS tokens, m.cost_usd AS cost,
                           m.bigquery_storage_gb AS storage_gb, m.occurred_at AS storage_at
                    FROM usage_metrics m JOIN platform_tenants t ON t.id = m.tenant_id
                    WHERE m.occurred_at > ?""";
            params.add(Timestamp.from(query.since()));
        } else {
            src = """
                    SELECT m.tenant_id, m.user_id, m.brand_id, m.provider, m.model,
                           m.input_tokens + m.output_tokens AS tokens, m.cost_usd AS cost,
                           m.bigquery_storage_gb AS storage_gb, m.storage_reported_at AS storage_at
                    FROM admin_usage_reports m JOIN platform_tenants t ON t.id = m.tenant_id
                    WHERE\s""" + period(query, params);
        }
        src += tenantFilters(query, params);
        if (query.brandId() != null) {
            src += " AND m.brand_id = ?";
            params.add(query.brandId());
        }
        String key = rows.key;
        String with = """
                WITH src AS MATERIALIZED (%s),
                flows AS MATERIALIZED (
                    SELECT %s, provider, model, sum(tokens) AS tokens, sum(cost) AS cost
                    FROM src GROUP BY %s, provider, model),
                series AS (
                    SELECT DISTINCT ON (tenant_id, user_id, brand_id) tenant_id, user_id, brand_id, storage_gb
                    FROM src WHERE storage_gb IS NOT NULL
                    ORDER BY tenant_id, user_id, brand_id, storage_at DESC, storage_gb DESC),
                storage AS (SELECT %s, sum(storage_gb) AS storage FROM series GROUP BY %s),
                rowset AS (
                    SELECT f.*, coalesce(s.storage, 0) AS storage
                    FROM (SELECT %s, sum(tokens) AS tokens, sum(cost) AS cost FROM flows GROUP BY %s) f
                    LEFT JOIN storage s ON %s)
                """.formatted(src, key, key, key, key, key, key, match(rows, "s", "f"));
        return new SqlParts(with, params);
    }

    /** Row keys compared with NULL users equal (a hash join cannot use IS NOT DISTINCT FROM). */
    private static String match(Rows rows, String a, String b) {
        String tenant = a + ".tenant_id = " + b + ".tenant_id";
        return rows == Rows.USERS ? tenant + " AND coalesce(" + a + ".user_id, " + NO_ID + ") = coalesce(" + b
                + ".user_id, " + NO_ID + ")" : tenant;
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }

    private UsageRow row(ResultSet rs, Rows rows) throws SQLException {
        List<ModelUsage> models = models(rs.getString("models"));
        UUID tenant = rs.getObject("tenant_id", UUID.class);
        return new UsageRow(tenant, rs.getString("tenant_name"), rs.getString("plan_tier"),
                PlatformIdentity.TENANT_ID.equals(tenant), rows == Rows.USERS ? rs.getObject("user_id", UUID.class) : null,
                rs.getString("email"), rs.getLong("tokens"), scaled(rs.getBigDecimal("storage")),
                scaled(rs.getBigDecimal("cost")), models);
    }

    private List<ModelUsage> models(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            List<ModelUsage> models = new ArrayList<>();
            for (JsonNode m : exact.readTree(text)) {
                models.add(new ModelUsage(m.path("provider").asText(), m.path("model").asText(),
                        m.path("llm_tokens").asLong(), scaled(m.path("cost_usd").decimalValue())));
            }
            return models;
        } catch (IOException e) {
            throw new UncheckedIOException("model breakdown is not JSON", e);
        }
    }

    static BigDecimal scaled(BigDecimal value) {
        return value == null ? ZERO : value.setScale(6, java.math.RoundingMode.UNNECESSARY);
    }
}
