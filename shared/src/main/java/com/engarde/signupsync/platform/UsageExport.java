package com.engarde.signupsync.platform;

import com.engarde.signupsync.api.ApiException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GET /api/admin/platform/usage/export: the rows of the users or tenants view ({@code rows=users|tenants}),
 * every page of them, as CSV or JSON ({@code format=csv|json}), streamed from the database.
 */
@Singleton
public class UsageExport {

    private final UsageReports reports;
    private final Clock clock;

    public UsageExport(UsageReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    /** A checked export request, ready to stream. */
    public record Prepared(UsageQuery query, UsageReports.Rows rows, boolean csv, UsageReports reports) {
        public String contentType() {
            return csv ? "text/csv; charset=utf-8" : "application/json";
        }

        public String fileName() {
            return "usage-" + rows.name().toLowerCase(Locale.ROOT) + "-" + query.viewMode().id() + (csv ? ".csv" : ".json");
        }

        public long writeTo(Writer out) {
            return csv ? reports.exportCsv(query, rows, out) : reports.exportJson(query, rows, out);
        }

        /** UTF-8, whatever the platform's default. */
        public long writeTo(OutputStream out) {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            long n = writeTo(writer);
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the export could not be written", e);
            }
            return n;
        }
    }

    /** The view's filters and page from query parameters (the first value of each). */
    public UsageQuery query(Map<String, List<String>> params) {
        Map<String, String> first = new HashMap<>();
        params.forEach((k, v) -> first.put(k, v.isEmpty() ? null : v.get(0)));
        return UsageQuery.parse(first, clock);
    }

    public Prepared prepare(Map<String, List<String>> params) {
        UsageQuery query = query(params);
        String format = first(params, "format", "csv");
        if (!format.equals("csv") && !format.equals("json")) {
            throw ApiException.invalid("format", "format must be csv or json");
        }
        String rows = first(params, "rows", "users");
        if (!rows.equals("users") && !rows.equals("tenants")) {
            throw ApiException.invalid("rows", "rows must be users or tenants");
        }
        return new Prepared(query, rows.equals("users") ? UsageReports.Rows.USERS : UsageReports.Rows.TENANTS,
                format.equals("csv"), reports);
    }

    private static String first(Map<String, List<String>> params, String name, String fallback) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? fallback : values.get(0).strip();
    }
}
