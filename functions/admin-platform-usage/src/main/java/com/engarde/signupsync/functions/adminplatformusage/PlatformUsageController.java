package com.engarde.signupsync.functions.adminplatformusage;

import com.engarde.signupsync.platform.UsageExport;
import com.engarde.signupsync.platform.UsageReports;
import io.micronaut.core.io.Writable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.Charset;

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

    /** Parameters are checked before the first byte is written: a bad one is a 400, not a broken file. */
    @Get("/export")
    public HttpResponse<Writable> export(HttpRequest<?> request) {
        UsageExport.Prepared prepared = export.prepare(request.getParameters().asMap());
        Writable body = new Writable() {
            @Override
            public void writeTo(Writer out) {
                prepared.writeTo(out);
            }

            @Override
            public void writeTo(OutputStream out, Charset charset) {
                prepared.writeTo(out);
            }
        };
        return HttpResponse.ok(body).contentType(prepared.contentType())
                .header("Content-Disposition", "attachment; filename=\"" + prepared.fileName() + "\"");
    }
}
