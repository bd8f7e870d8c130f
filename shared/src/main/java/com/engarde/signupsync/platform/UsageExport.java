package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.QueryValues;
import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AuditLog;
import com.engarde.signupsync.persistence.Database;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GET /api/admin/platform/usage/export: the rows of the users or tenants view ({@code rows=users|tenants}),
 * every page of them, as CSV or JSON ({@code format=csv|json}), streamed from the database.
 *
 * <p>A Lambda proxy answer holds at most 6 MB, and API Gateway sends the body inside a JSON string, where a
 * quote or a newline takes two bytes. So one answer carries at most {@code maxBytes} (default 3,000,000) of
 * UTF-8, whole rows only, from row {@code offset}; when rows remain it says where the next part starts. The
 * export is never cut silently.
 */
@Singleton
public class UsageExport {

    /** The highest offset a request may name: more rows than any view holds. */
    public static final long MAX_OFFSET = 1_000_000_000L;

    private final UsageReports reports;
    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final long maxBytes;

    public UsageExport(UsageReports reports, Database database, AuditLog audit, Clock clock,
                       @Value("${signup.sync.usage.export.max-bytes:3000000}") long maxBytes) {
        this.reports = reports;
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        this.maxBytes = maxBytes;
    }

    /**
     * Writes one part of an export for an admin and audits it as {@code usage.export}: who, which rows, the range
     * and filters, and how many rows left. The caller sends {@code out} only after this returns, so no export
     * leaves without its audit row.
     */
    public UsageReports.ExportPart export(AdminPrincipal admin, Prepared prepared, OutputStream out) {
        UsageReports.ExportPart part = prepared.writeTo(out);
        UsageQuery query = prepared.query();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("format", prepared.csv() ? "csv" : "json");
        summary.put("view_mode", query.viewMode().id());
        if (query.viewMode() == ViewMode.REALTIME) {
            summary.put("since", query.since().toString());
        } else {
            summary.put("date_from", query.range().from().toString());
            summary.put("date_to", query.range().to().toString());
        }
        putIfGiven(summary, "plan_tier", query.planTier());
        putIfGiven(summary, "tenant_id", query.tenantId());
        putIfGiven(summary, "brand_id", query.brandId());
        summary.put("offset", prepared.offset());
        summary.put("rows", part.rows());
        summary.put("complete", part.complete());
        database.transaction(connection -> {
            audit.record(connection, admin, "usage.export", "usage_export",
                    prepared.rows().name().toLowerCase(Locale.ROOT), summary);
            return null;
        });
        return part;
    }

    private static void putIfGiven(Map<String, Object> summary, String name, Object value) {
        if (value != null) {
            summary.put(name, value.toString());
        }
    }

    /** A checked export request, ready to stream: rows from {@code offset}, at most {@code maxBytes} of them. */
    public record Prepared(UsageQuery query, UsageReports.Rows rows, boolean csv, long offset, long maxBytes,
                           UsageReports reports) {
        public String contentType() {
            return csv ? "text/csv; charset=utf-8" : "application/json";
        }

        public String fileName() {
            return "usage-" + rows.name().toLowerCase(Locale.ROOT) + "-" + query.viewMode().id() + (csv ? ".csv" : ".json");
        }

        public UsageReports.ExportPart writeTo(Writer out) {
            return csv ? reports.exportCsv(query, rows, offset, maxBytes, out)
                    : reports.exportJson(query, rows, offset, maxBytes, out);
        }

        /** UTF-8, whatever the platform's default. */
        public UsageReports.ExportPart writeTo(OutputStream out) {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            UsageReports.ExportPart part = writeTo(writer);
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the export could not be written", e);
            }
            return part;
        }

        /** Where the part after {@code part} starts, or null when {@code part} was the last. */
        public Long nextOffset(UsageReports.ExportPart part) {
            return part.complete() ? null : offset + part.rows();
        }
    }

    /** The view's filters and page from query parameters (the first value of each). */
    public UsageQuery query(Map<String, List<String>> params) {
        Map<String, String> first = new HashMap<>();
        params.forEach((k, v) -> first.put(k, v.isEmpty() ? null : v.get(0)));
        return UsageQuery.parse(first, clock);
    }

    public Prepared prepare(Map<String, List<String>> params) {
        // The export answers every row in parts: a page would be silently ignored, so it is refused in words.
        for (String paging : List.of("page", "page_size")) {
            if (params.containsKey(paging)) {
                throw new InvalidInput(paging, "the export answers every row in parts and has no " + paging
                        + ": leave it out and follow X-Export-Next-Offset (offset)");
            }
        }
        UsageQuery query = query(params);
        String format = first(params, "format", "csv");
        if (!format.equals("csv") && !format.equals("json")) {
            throw new InvalidInput("format", "format must be csv or json");
        }
        String rows = first(params, "rows", "users");
        if (!rows.equals("users") && !rows.equals("tenants")) {
            throw new InvalidInput("rows", "rows must be users or tenants");
        }
        long from = QueryValues.number("offset", first(params, "offset", "0"), 0, MAX_OFFSET);
        return new Prepared(query, rows.equals("users") ? UsageReports.Rows.USERS : UsageReports.Rows.TENANTS,
                format.equals("csv"), from, maxBytes, reports);
    }

    private static String first(Map<String, List<String>> params, String name, String fallback) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? fallback : values.get(0).strip();
    }
}
