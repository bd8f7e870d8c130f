package com.engarde.signupsync.functions.adminplatformusage;

import com.engarde.signupsync.platform.UsageExport;
import com.engarde.signupsync.platform.UsageReports;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.ByteArrayOutputStream;

/** Platform usage for admins: by user, by tenant, and the export of either. */
@Controller("/api/admin/platform/usage")
public class PlatformUsageController {

    private final UsageReports reports;
    private final UsageExport export;

    public PlatformUsageController(UsageReports reports, UsageExport export) {
        this.reports = reports;
        this.export = export;
    }

    @Get("/users")
    public UsageReports.UsagePage users(HttpRequest<?> request) {
        return reports.page(export.query(request.getParameters().asMap()), UsageReports.Rows.USERS);
    }

    @Get("/tenants")
    public UsageReports.UsagePage tenants(HttpRequest<?> request) {
        return reports.page(export.query(request.getParameters().asMap()), UsageReports.Rows.TENANTS);
    }

    /**
     * Parameters are checked before the first byte is written: a bad one is a 400, not a broken file. The part
     * is bounded (a Lambda answer holds 6 MB), so it is written before the headers that say whether it is the last.
     */
    @Get("/export")
    public HttpResponse<byte[]> export(HttpRequest<?> request) {
        UsageExport.Prepared prepared = export.prepare(request.getParameters().asMap());
        ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);
        UsageReports.ExportPart part = prepared.writeTo(body);
        Long next = prepared.nextOffset(part);
        MutableHttpResponse<byte[]> response = HttpResponse.ok(body.toByteArray()).contentType(prepared.contentType())
                .header("Content-Disposition", "attachment; filename=\"" + prepared.fileName() + "\"")
                .header("X-Export-Rows", String.valueOf(part.rows()))
                .header("X-Export-Complete", String.valueOf(part.complete()));
        return next == null ? response : response.header("X-Export-Next-Offset", String.valueOf(next));
    }
}
