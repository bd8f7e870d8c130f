package com.engarde.signupsync.platform;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AuditLog;
import io.micronaut.core.annotation.Nullable;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * En Garde's own brands (those of the platform tenant) with their usage, and the usage of any brand over
 * time. Totals come from the rollups; storage is each series' latest level, as in the usage views.
 */
@Singleton
public class PlatformBrands {

    public static final long MAX_BODY_BYTES = 16 * 1024;

    public record Brand(UUID id, String brandName, @Nullable String purpose, boolean isDemo, boolean isTemplate,
                        long totalLlmTokens, BigDecimal totalBigqueryStorageGb, BigDecimal totalCostUsd,
                        Instant createdAt) {
    }

    public record BrandList(int totalCount, @Nullable LocalDate dateFrom, @Nullable LocalDate dateTo, List<Brand> brands) {
    }

    public record Period(String period, long llmTokens, BigDecimal costUsd, BigDecimal bigqueryStorageGb,
                         List<UsageReports.ModelUsage> models) {
    }

    public record BrandUsage(UUID brandId, String brandName, String viewMode, @Nullable LocalDate dateFrom, @Nullable LocalDate dateTo,
                             long totalLlmTokens, BigDecimal totalCostUsd, BigDecimal totalBigqueryStorageGb,
                             List<Period> periods) {
    }

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;

    public PlatformBrands(Database database, AuditLog audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    /** With neither date, all time (the monthly rollups); with either, those UTC days (the daily ones). */
    public BrandList list(String dateFrom, String dateTo) {
        boolean allTime = (dateFrom == null || dateFrom.isBlank()) && (dateTo == null || dateTo.isBlank());
        UsageRange range = allTime ? null : UsageRange.parse(dateFrom, dateTo, UsageRange.EARLIEST,
                clock.instant().atOffset(java.time.ZoneOffset.UTC).toLocalDate(), Integer.MAX_VALUE);
        String rollups = allTime ? "r.grain = 'month'" : "r.grain = 'day' AND r.period_start BETWEEN ? AND ?";
        String sql = """
                WITH usage AS (
                    SELECT r.brand_id, sum(r.input_tokens + r.output_tokens) AS tokens, sum(r.cost_usd) AS cost
                    FROM admin_usage_reports r JOIN platform_brands b ON b.id = r.brand_id
                    WHERE b.tenant_id = ? AND %1$s
                    GROUP BY r.brand_id),
                series AS (
                    SELECT DISTINCT ON (r.tenant_id, r.user_id, r.brand_id) r.brand_id, r.bigquery_storage_gb
                    FROM admin_usage_reports r JOIN platform_brands b ON b.id = r.brand_id
                    WHERE b.tenant_id = ? AND %1$s AND r.bigquery_storage_gb IS NOT NULL
                    ORDER BY r.tenant_id, r.user_id, r.brand_id, r.storage_reported_at DESC, r.bigquery_storage_gb DESC),
                storage AS (SELECT brand_id, sum(bigquery_storage_gb) AS storage FROM series GROUP BY brand_id)
                SELECT b.id, b.brand_name, b.purpose, b.is_demo, b.is_template, b.created_at,
                       coalesce(u.tokens, 0) AS tokens, coalesce(u.cost, 0) AS cost, coalesce(s.storage, 0) AS storage
                FROM platform_brands b LEFT JOIN usage u ON u.brand_id = b.id LEFT JOIN storage s ON s.brand_id = b.id
                WHERE b.tenant_id = ?
                ORDER BY lower(b.brand_name), b.id
                """.formatted(rollups);
        List<Brand> brands = database.read(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                int i = 1;
                for (int part = 0; part < 2; part++) {
                    ps.setObject(i++, PlatformIdentity.TENANT_ID);
                    if (!allTime) {
                        ps.setObject(i++, range.from());
                        ps.setObject(i++, range.to());
                    }
                }
                ps.setObject(i, PlatformIdentity.TENANT_ID);
                List<Brand> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(brand(rs));
                    }
                }
                return found;
            }
        });
        return new BrandList(brands.size(), allTime ? null : range.from(), allTime ? null : range.to(), brands);
    }

    /** Creates one of En Garde's brands, audited in the same transaction; {@link BrandNameTaken} on a taken name. */
    public Brand create(AdminPrincipal admin, ObjectNode object) {
        String name = JsonFields.requiredText(object, "brand_name", UsageRecordRequests.NAME_LENGTH);
        String purpose = JsonFields.text(object, "purpose", 2000);
        Boolean demo = JsonFields.bool(object, "is_demo");
        Boolean template = JsonFields.bool(object, "is_template");
        return database.transaction(connection -> {
            Brand brand;
            // No conflict target: the case-insensitive name index is the one that answers "taken", race-free.
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO platform_brands (tenant_id, brand_name, purpose, is_demo, is_template)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    RETURNING id, brand_name, purpose, is_demo, is_template, created_at,
                              0 AS tokens, 0 AS cost, 0 AS storage""")) {
                insert.setObject(1, PlatformIdentity.TENANT_ID);
                insert.setString(2, name);
                insert.setString(3, purpose);
                insert.setBoolean(4, Boolean.TRUE.equals(demo));
                insert.setBoolean(5, Boolean.TRUE.equals(template));
                try (ResultSet rs = insert.executeQuery()) {
                    if (!rs.next()) {
                        throw new BrandNameTaken(name);
                    }
                    brand = brand(rs);
                }
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("brand_name", name);
            summary.put("is_demo", brand.isDemo());
            summary.put("is_template", brand.isTemplate());
            audit.record(connection, admin, "brand.create", "platform_brand", brand.id().toString(), summary);
            return brand;
        });
    }

    /** A brand's usage by UTC day, month, or (realtime) hour of the last 24, with its model breakdown. */
    public BrandUsage usage(String brandId, Map<String, String> params) {
        UUID id = JsonFields.uuid("brand_id", brandId);
        UsageQuery query = UsageQuery.parse(params, clock);
        boolean realtime = query.viewMode() == ViewMode.REALTIME;
        String src = realtime ? """
                SELECT to_char(date_trunc('hour', m.occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24":00:00Z"') AS period,
                       m.tenant_id, m.user_id, m.provider, m.model, m.input_tokens + m.output_tokens AS tokens,
                       m.cost_usd AS cost, m.bigquery_storage_gb AS storage_gb, m.occurred_at AS storage_at
                FROM usage_metrics m WHERE m.brand_id = ? AND m.occurred_at > ?""" : """
                SELECT to_char(m.period_start, 'YYYY-MM-DD') AS period, m.tenant_id, m.user_id, m.provider, m.model,
                       m.input_tokens + m.output_tokens AS tokens, m.cost_usd AS cost,
                       m.bigquery_storage_gb AS storage_gb, m.storage_reported_at AS storage_at
                FROM admin_usage_reports m WHERE m.brand_id = ? AND m.grain = ? AND m.period_start BETWEEN ? AND ?""";
        String sql = """
                WITH src AS MATERIALIZED (%s),
                period_storage AS (
                    SELECT period, sum(storage_gb) AS storage FROM (
                        SELECT DISTINCT ON (period, tenant_id, user_id) period, storage_gb FROM src
                        WHERE storage_gb IS NOT NULL
                        ORDER BY period, tenant_id, user_id, storage_at DESC, storage_gb DESC) s
                    GROUP BY period),
                total_storage AS (
                    SELECT coalesce(sum(storage_gb), 0) AS storage FROM (
                        SELECT DISTINCT ON (tenant_id, user_id) storage_gb FROM src WHERE storage_gb IS NOT NULL
                        ORDER BY tenant_id, user_id, storage_at DESC, storage_gb DESC) s)
                SELECT f.period, f.provider, f.model, f.tokens, f.cost, coalesce(p.storage, 0) AS storage,
                       (SELECT storage FROM total_storage) AS total_storage
                FROM (SELECT period, provider, model, sum(tokens) AS tokens, sum(cost) AS cost
                      FROM src GROUP BY period, provider, model) f
                LEFT JOIN period_storage p USING (period)
                ORDER BY f.period, f.provider, f.model
                """.formatted(src);
        return database.read(connection -> {
            String name;
            try (PreparedStatement ps = connection.prepareStatement("SELECT brand_name FROM platform_brands WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new UnknownBrand(id);
                    }
                    name = rs.getString(1);
                }
            }
            Map<String, List<UsageReports.ModelUsage>> models = new LinkedHashMap<>();
            Map<String, BigDecimal> storage = new LinkedHashMap<>();
            BigDecimal totalStorage = BigDecimal.ZERO;
            long tokens = 0;
            BigDecimal cost = BigDecimal.ZERO;
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setObject(1, id);
                if (realtime) {
                    ps.setTimestamp(2, Timestamp.from(query.since()));
                } else {
                    ps.setString(2, query.viewMode() == ViewMode.DAILY ? "day" : "month");
                    ps.setObject(3, query.range().from());
                    ps.setObject(4, query.range().to());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String period = rs.getString("period");
                        UsageReports.ModelUsage model = new UsageReports.ModelUsage(rs.getString("provider"),
                                rs.getString("model"), rs.getLong("tokens"), UsageReports.scaled(rs.getBigDecimal("cost")));
                        models.computeIfAbsent(period, p -> new ArrayList<>()).add(model);
                        storage.put(period, UsageReports.scaled(rs.getBigDecimal("storage")));
                        totalStorage = rs.getBigDecimal("total_storage");
                        tokens += model.llmTokens();
                        cost = cost.add(model.costUsd());
                    }
                }
            }
            List<Period> periods = new ArrayList<>();
            models.forEach((period, list) -> periods.add(new Period(period,
                    list.stream().mapToLong(UsageReports.ModelUsage::llmTokens).sum(),
                    list.stream().map(UsageReports.ModelUsage::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add),
                    storage.get(period), list)));
            return new BrandUsage(id, name, query.viewMode().id(), realtime ? null : query.range().from(),
                    realtime ? null : query.range().to(), tokens, UsageReports.scaled(cost),
                    UsageReports.scaled(totalStorage), periods);
        });
    }

    private static Brand brand(ResultSet rs) throws SQLException {
        return new Brand(rs.getObject("id", UUID.class), rs.getString("brand_name"), rs.getString("purpose"),
                rs.getBoolean("is_demo"), rs.getBoolean("is_template"), rs.getLong("tokens"),
                UsageReports.scaled(rs.getBigDecimal("storage")), UsageReports.scaled(rs.getBigDecimal("cost")),
                rs.getTimestamp("created_at").toInstant());
    }
}
