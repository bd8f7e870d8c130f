package com.engarde.signupsync.platform;

import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.core.JsonGenerator;
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

    public record UsageRow(UUID tenantId, String tenantName, String planTier, boolean isPlatform, UUID userId,
                           String email, long llmTokens, BigDecimal bigqueryStorageGb, BigDecimal totalCostUsd,
                           List<ModelUsage> models) {
    }

    public record UsagePage(String viewMode, LocalDate dateFrom, LocalDate dateTo, int page, int pageSize,
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
        return database.read(connection -> {
            List<UsageRow> found = new ArrayList<>();
            Totals totals = null;
            try (PreparedStatement ps = prepare(connection, statement, params); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(row(rs, rows));
                    totals = Totals.of(rs);
                }
            }
            if (totals == null) {
                // No row on this page for the window sums to ride on: the totals are asked for alone.
                try (PreparedStatement ps = prepare(connection, sql.with + """
                        SELECT count(*) AS total_count, sum(tokens) AS total_tokens, sum(cost) AS total_cost,
                               sum(storage) AS total_storage,
                               sum(CASE WHEN tenant_id = %s THEN cost ELSE 0 END) AS platform_cost
                        FROM rowset""".formatted(PLATFORM), sql.params);
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

    private record Totals(long count, long tokens, BigDecimal cost, BigDecimal storage, BigDecimal platform) {
        static Totals of(ResultSet rs) throws SQLException {
            return new Totals(rs.getLong("total_count"), rs.getLong("total_tokens"), scaled(rs.getBigDecimal("total_cost")),
                    scaled(rs.getBigDecimal("total_storage")), scaled(rs.getBigDecimal("platform_cost")));
        }
    }

    /** Every row of the view, as CSV (RFC 4180, UTF-8, a header row), written as the database streams them. */
    public long exportCsv(UsageQuery query, Rows rows, Writer out) {
        return stream(query, rows, new RowSink() {
            CSVPrinter csv;

            @Override
            public void start() throws IOException {
                csv = CSVFormat.RFC4180.builder().setHeader("tenant_id", "tenant_name", "plan_tier", "is_platform",
                        "user_id", "email", "llm_tokens", "bigquery_storage_gb", "total_cost_usd").get().print(out);
            }

            @Override
            public void row(UsageRow r) throws IOException {
                csv.printRecord(r.tenantId(), r.tenantName(), r.planTier(), r.isPlatform(), r.userId(), r.email(),
                        r.llmTokens(), r.bigqueryStorageGb().toPlainString(), r.totalCostUsd().toPlainString());
            }

            @Override
            public void end() throws IOException {
                csv.flush();
            }
        });
    }

    /** Every row of the view with its model breakdown, as a JSON array written as the database streams them. */
    public long exportJson(UsageQuery query, Rows rows, Writer out) {
        return stream(query, rows, new RowSink() {
            JsonGenerator generator;

            @Override
            public void start() throws IOException {
                generator = json.getFactory().createGenerator(out);
                generator.writeStartArray();
            }

            @Override
            public void row(UsageRow r) throws IOException {
                json.writeValue(generator, r);
            }

            @Override
            public void end() throws IOException {
                generator.writeEndArray();
                generator.flush();
            }
        });
    }

    private interface RowSink {
        void start() throws IOException;

        void row(UsageRow row) throws IOException;

        void end() throws IOException;
    }

    private long stream(UsageQuery query, Rows rows, RowSink sink) {
        SqlParts sql = view(query, rows);
        String statement = sql.with + select(rows, "rowset", null);
        // A cursor needs a transaction: with autocommit the driver would read every row before the first.
        return database.transaction(connection -> {
            long n = 0;
            try (PreparedStatement ps = prepare(connection, statement, sql.params)) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    sink.start();
                    while (rs.next()) {
                        sink.row(row(rs, rows));
                        n++;
                    }
                    sink.end();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the export could not be written", e);
            }
            return n;
        });
    }

    /** The rows in their one stable order: cost, then the row key. */
    private static String order(Rows rows) {
        return rows == Rows.USERS ? "cost DESC, tenant_id, user_id NULLS FIRST" : "cost DESC, tenant_id";
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
                    WHERE m.grain = ? AND m.period_start BETWEEN ? AND ?""";
            params.add(query.viewMode() == ViewMode.DAILY ? "day" : "month");
            params.add(query.range().from());
            params.add(query.range().to());
        }
        if (query.tenantId() != null) {
            src += " AND m.tenant_id = ?";
            params.add(query.tenantId());
        }
        if (query.brandId() != null) {
            src += " AND m.brand_id = ?";
            params.add(query.brandId());
        }
        if (query.planTier() != null) {
            src += " AND t.plan_tier = ?";
            params.add(query.planTier());
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
