package com.engarde.signupsync.functions.adminplatformusage;

import com.engarde.signupsync.api.ApiError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.platform.UsageExport;
import com.engarde.signupsync.platform.UsageReports;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;

import java.io.ByteArrayOutputStream;

/** Platform usage for admins: by user, by tenant, and the export of either. */
@Controller("/api/admin/platform/usage")
@Tag(name = "admin")
@SecurityRequirement(name = "admin-jwt")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid admin JWT (WWW-Authenticate: Bearer error=invalid_token)",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "a valid token of someone who is neither a superuser nor a platform admin",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database is unreachable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "400", description = "a bad parameter, naming it",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class PlatformUsageController {

    // Query parameters the route reads from the request are also its arguments, unused: micronaut-openapi
    // ignores the schema of a method-level @Parameter, so only an argument documents a parameter\'s type.

    private final UsageReports reports;
    private final UsageExport export;

    public PlatformUsageController(UsageReports reports, UsageExport export) {
        this.reports = reports;
        this.export = export;
    }

    @Operation(summary = "Usage per tenant and user",
            description = "Totals over all rows, and one page of rows ordered by cost descending, tenant id, user id.")
    @ApiResponse(responseCode = "200", description = "totals and one page", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = UsageReports.UsagePage.class)))
    @Get("/users")
    public UsageReports.UsagePage users(@Parameter(description = "realtime (last 24 hours), daily or monthly", schema = @Schema(type = "string", allowableValues = {"realtime", "daily", "monthly"}, defaultValue = "daily")) @Nullable @QueryValue("view_mode") String viewMode,
            @Parameter(description = "UTC day; default the last 30 days (daily) or 12 months (monthly); at most 800 days", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "UTC day, included", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(schema = @Schema(type = "string", pattern = "^[a-z][a-z0-9_]{0,39}$")) @Nullable @QueryValue("plan_tier") String planTier,
            @Parameter(schema = @Schema(type = "string", format = "uuid")) @Nullable @QueryValue("tenant_id") String tenantId,
            @Parameter(schema = @Schema(type = "string", format = "uuid")) @Nullable @QueryValue("brand_id") String brandId,
            @Parameter(description = "from 1", schema = @Schema(type = "integer", minimum = "1", defaultValue = "1")) @Nullable @QueryValue("page") String page,
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50")) @Nullable @QueryValue("page_size") String pageSize,
            @Parameter(description = "the export's parameter, accepted and ignored here", schema = @Schema(type = "string", allowableValues = {"csv", "json"})) @Nullable @QueryValue("format") String format,
            @Parameter(description = "the export's parameter, accepted and ignored here", schema = @Schema(type = "string", allowableValues = {"users", "tenants"})) @Nullable @QueryValue("rows") String rows,
            HttpRequest<?> request) {
        return reports.page(export.query(request.getParameters().asMap()), UsageReports.Rows.USERS);
    }

    @Operation(summary = "Usage per tenant")
    @ApiResponse(responseCode = "200", description = "totals and one page", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = UsageReports.UsagePage.class)))
    @Get("/tenants")
    public UsageReports.UsagePage tenants(@Parameter(description = "realtime (last 24 hours), daily or monthly", schema = @Schema(type = "string", allowableValues = {"realtime", "daily", "monthly"}, defaultValue = "daily")) @Nullable @QueryValue("view_mode") String viewMode,
            @Parameter(description = "UTC day; default the last 30 days (daily) or 12 months (monthly); at most 800 days", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "UTC day, included", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(schema = @Schema(type = "string", pattern = "^[a-z][a-z0-9_]{0,39}$")) @Nullable @QueryValue("plan_tier") String planTier,
            @Parameter(schema = @Schema(type = "string", format = "uuid")) @Nullable @QueryValue("tenant_id") String tenantId,
            @Parameter(schema = @Schema(type = "string", format = "uuid")) @Nullable @QueryValue("brand_id") String brandId,
            @Parameter(description = "from 1", schema = @Schema(type = "integer", minimum = "1", defaultValue = "1")) @Nullable @QueryValue("page") String page,
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50")) @Nullable @QueryValue("page_size") String pageSize,
            @Parameter(description = "the export's parameter, accepted and ignored here", schema = @Schema(type = "string", allowableValues = {"csv", "json"})) @Nullable @QueryValue("format") String format,
            @Parameter(description = "the export's parameter, accepted and ignored here", schema = @Schema(type = "string", allowableValues = {"users", "tenants"})) @Nullable @QueryValue("rows") String rows,
            HttpRequest<?> request) {
        return reports.page(export.query(request.getParameters().asMap()), UsageReports.Rows.TENANTS);
    }

    /**
     * Parameters are checked before the first byte is written: a bad one is a 400, not a broken file. The part
     * is bounded (a Lambda answer holds 6 MB), so it is written before the headers that say whether it is the last.
     */
    @Operation(summary = "Export every row",
            description = "No row limit: every row, read from a database cursor and answered in parts of at most 3 MB of whole rows, each a complete file (follow X-Export-Next-Offset until X-Export-Complete is true); CSV is RFC 4180, UTF-8, with a header row, and a cell that would start a spreadsheet formula (=, +, -, @, tab, carriage return) starts with a single quote. Every part is audited as usage.export.")
    @ApiResponse(responseCode = "200", description = "one part of the rows (at most 3 MB of whole rows); X-Export-Complete says whether it is the last, X-Export-Next-Offset where the next starts",
            headers = {
                @io.swagger.v3.oas.annotations.headers.Header(name = "Content-Disposition", description = "attachment; filename=\"usage-....csv\" (or .json)", schema = @Schema(type = "string")),
                @io.swagger.v3.oas.annotations.headers.Header(name = "X-Export-Rows", description = "rows in this part", schema = @Schema(type = "integer", minimum = "0")),
                @io.swagger.v3.oas.annotations.headers.Header(name = "X-Export-Complete", description = "true when this part is the last", schema = @Schema(type = "string", allowableValues = {"true", "false"})),
                @io.swagger.v3.oas.annotations.headers.Header(name = "X-Export-Next-Offset", description = "where the next part starts; absent on the last", schema = @Schema(type = "integer", minimum = "0"))},
            content = {@Content(mediaType = "text/csv", schema = @Schema(type = "string", description = "RFC 4180, UTF-8, a header row")),
                    @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = UsageReports.UsageRow.class)))})
    @Get("/export")
    public HttpResponse<byte[]> export(@Parameter(description = "realtime (last 24 hours), daily or monthly", schema = @Schema(type = "string", allowableValues = {"realtime", "daily", "monthly"}, defaultValue = "daily")) @Nullable @QueryValue("view_mode") String viewMode,
            @Parameter(description = "UTC day; default the last 30 days (daily) or 12 months (monthly); at most 800 days", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "UTC day, included", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(schema = @Schema(type = "string", pattern = "^[a-z][a-z0-9_]{0,39}$")) @Nullable @QueryValue("plan_tier") String planTier,
            @Parameter(schema = @Schema(type = "string", format = "uuid")) @Nullable @QueryValue("tenant_id") String tenantId,
            @Parameter(schema = @Schema(type = "string", format = "uuid")) @Nullable @QueryValue("brand_id") String brandId,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"csv", "json"})) @Nullable @QueryValue("format") String format,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"users", "tenants"})) @Nullable @QueryValue("rows") String rows,
            @Parameter(description = "where this part starts: 0, or the X-Export-Next-Offset of the part before", schema = @Schema(type = "integer", minimum = "0", maximum = "1000000000", defaultValue = "0")) @Nullable @QueryValue("offset") String offset,
            HttpRequest<?> request,
            @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        UsageExport.Prepared prepared = export.prepare(request.getParameters().asMap());
        ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);
        UsageReports.ExportPart part = export.export(admin, prepared, body);
        Long next = prepared.nextOffset(part);
        MutableHttpResponse<byte[]> response = HttpResponse.ok(body.toByteArray()).contentType(prepared.contentType())
                .header("Content-Disposition", "attachment; filename=\"" + prepared.fileName() + "\"")
                .header("X-Export-Rows", String.valueOf(part.rows()))
                .header("X-Export-Complete", String.valueOf(part.complete()));
        return next == null ? response : response.header("X-Export-Next-Offset", String.valueOf(next));
    }
}
