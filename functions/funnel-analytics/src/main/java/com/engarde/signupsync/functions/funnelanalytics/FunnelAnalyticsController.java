package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.analytics.FunnelAnalytics;
import com.engarde.signupsync.analytics.FunnelAnalytics.LeadTable;
import com.engarde.signupsync.analytics.FunnelReports.FunnelLeadsPage;
import com.engarde.signupsync.analytics.FunnelReports.FunnelMetricsReport;
import com.engarde.signupsync.analytics.FunnelReports.FunnelTrendsReport;
import com.engarde.signupsync.api.ApiError;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The funnel questions; parameters and answers are described in the README ("Funnel analytics"). */
@Controller
@Tag(name = "analytics", description = "Funnel metrics, trends and the leads behind them")
@ApiResponse(responseCode = "400", description = "an unknown or repeated parameter, or a value out of its list or"
        + " range, naming it", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid token",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer error=\"insufficient_scope\", scope=\"<the route's scope>\"", schema = @Schema(type = "string")),
        description = "a known service token that does not hold the route's scope",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database is unreachable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class FunnelAnalyticsController {

    // Query parameters the route reads from the request are also its arguments, unused: micronaut-openapi
    // ignores the schema of a method-level @Parameter, so only an argument documents a parameter\'s type.

    private final FunnelAnalytics analytics;

    public FunnelAnalyticsController(FunnelAnalytics analytics) {
        this.analytics = analytics;
    }

    @Operation(summary = "Funnel metrics", description = "Per stage the leads, conversion from the previous and the"
            + " first stage, drop-off, conversions and the time to convert; in total and per group.",
            security = @SecurityRequirement(name = "service-token"))
    @ApiResponse(responseCode = "200", description = "the funnel",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = FunnelMetricsReport.class)))
    @Get("/analytics/funnel-metrics")
    public FunnelMetricsReport metrics(@Parameter(schema = @Schema(type = "string", defaultValue = "none", allowableValues = {"none", "source", "utm_source", "utm_medium", "utm_campaign", "day", "week", "month"})) @Nullable @QueryValue("group_by") String groupBy,
            @Parameter(description = "1h to 365d", example = "1d", schema = @Schema(type = "string", pattern = "^[0-9]+[smhdw]$", defaultValue = "1d")) @Nullable @QueryValue("histogram_bin") String histogramBin,
            @Parameter(description = "UTC day, 2000-01-01 to 2100-12-31; the cohort's first touch from it (default: 30 days ago)", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "UTC day, included; at most 3,660 days after date_from (default: today)", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(description = "only leads whose attributed touch came from it", schema = @Schema(type = "string", extensions = @io.swagger.v3.oas.annotations.extensions.Extension(properties = @io.swagger.v3.oas.annotations.extensions.ExtensionProperty(name = "x-integration-kinds", value = "pull,push,api")))) @Nullable @QueryValue("source_type") String sourceType,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_source") String utmSource,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_medium") String utmMedium,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_campaign") String utmCampaign,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"first_touch", "last_touch"}, defaultValue = "first_touch")) @Nullable @QueryValue("attribution") String attribution,
            @Parameter(description = "2 to 10 stages separated by commas, each `any` or event types joined by `|`", example = "any,event_registered|ticket_purchased,event_attended", schema = @Schema(type = "string")) @Nullable @QueryValue("steps") String steps,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"any", "sequential"}, defaultValue = "any")) @Nullable @QueryValue("order") String order,
            @Parameter(description = "a whole number and a unit s, m, h, d or w, from 1m to 3650d", example = "30d", schema = @Schema(type = "string", pattern = "^[0-9]+[smhdw]$")) @Nullable @QueryValue("window") String window,
            @Parameter(description = "event types separated by commas, none a stage's", schema = @Schema(type = "string")) @Nullable @QueryValue("exclude") String exclude,
            HttpRequest<?> request) {
        return analytics.metrics(request.getParameters().asMap(), LeadTable.MAINTAINED);
    }

    @Operation(summary = "Funnel metrics for a platform admin", description = "The same answers as"
            + " /analytics/funnel-metrics, with an admin JWT.", security = @SecurityRequirement(name = "admin-jwt"))
    @ApiResponse(responseCode = "200", description = "the funnel",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = FunnelMetricsReport.class)))
    @ApiResponse(responseCode = "403", description = "a valid token of someone who is not a platform admin",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/api/admin/analytics/funnel-metrics")
    public FunnelMetricsReport adminMetrics(@Parameter(schema = @Schema(type = "string", defaultValue = "none", allowableValues = {"none", "source", "utm_source", "utm_medium", "utm_campaign", "day", "week", "month"})) @Nullable @QueryValue("group_by") String groupBy,
            @Parameter(description = "1h to 365d", example = "1d", schema = @Schema(type = "string", pattern = "^[0-9]+[smhdw]$", defaultValue = "1d")) @Nullable @QueryValue("histogram_bin") String histogramBin,
            @Parameter(description = "UTC day, 2000-01-01 to 2100-12-31; the cohort's first touch from it (default: 30 days ago)", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "UTC day, included; at most 3,660 days after date_from (default: today)", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(description = "only leads whose attributed touch came from it", schema = @Schema(type = "string", extensions = @io.swagger.v3.oas.annotations.extensions.Extension(properties = @io.swagger.v3.oas.annotations.extensions.ExtensionProperty(name = "x-integration-kinds", value = "pull,push,api")))) @Nullable @QueryValue("source_type") String sourceType,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_source") String utmSource,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_medium") String utmMedium,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_campaign") String utmCampaign,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"first_touch", "last_touch"}, defaultValue = "first_touch")) @Nullable @QueryValue("attribution") String attribution,
            @Parameter(description = "2 to 10 stages separated by commas, each `any` or event types joined by `|`", example = "any,event_registered|ticket_purchased,event_attended", schema = @Schema(type = "string")) @Nullable @QueryValue("steps") String steps,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"any", "sequential"}, defaultValue = "any")) @Nullable @QueryValue("order") String order,
            @Parameter(description = "a whole number and a unit s, m, h, d or w, from 1m to 3650d", example = "30d", schema = @Schema(type = "string", pattern = "^[0-9]+[smhdw]$")) @Nullable @QueryValue("window") String window,
            @Parameter(description = "event types separated by commas, none a stage's", schema = @Schema(type = "string")) @Nullable @QueryValue("exclude") String exclude,
            HttpRequest<?> request) {
        return analytics.metrics(request.getParameters().asMap(), LeadTable.MAINTAINED);
    }

    @Operation(summary = "Funnel trends", description = "Per cohort period: entered, completed, conversion rate, and"
            + " incomplete while the period's window has not closed. window defaults to 14d here.",
            security = @SecurityRequirement(name = "service-token"))
    @ApiResponse(responseCode = "200", description = "the periods",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = FunnelTrendsReport.class)))
    @Get("/analytics/funnel-trends")
    public FunnelTrendsReport trends(@Parameter(schema = @Schema(type = "string", allowableValues = {"day", "week", "month"}, defaultValue = "week")) @Nullable @QueryValue("interval") String interval,
            @Parameter(description = "UTC day, 2000-01-01 to 2100-12-31; the cohort's first touch from it (default: 30 days ago)", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "UTC day, included; at most 3,660 days after date_from (default: today)", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(description = "only leads whose attributed touch came from it", schema = @Schema(type = "string", extensions = @io.swagger.v3.oas.annotations.extensions.Extension(properties = @io.swagger.v3.oas.annotations.extensions.ExtensionProperty(name = "x-integration-kinds", value = "pull,push,api")))) @Nullable @QueryValue("source_type") String sourceType,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_source") String utmSource,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_medium") String utmMedium,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_campaign") String utmCampaign,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"first_touch", "last_touch"}, defaultValue = "first_touch")) @Nullable @QueryValue("attribution") String attribution,
            @Parameter(description = "2 to 10 stages separated by commas, each `any` or event types joined by `|`", example = "any,event_registered|ticket_purchased,event_attended", schema = @Schema(type = "string")) @Nullable @QueryValue("steps") String steps,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"any", "sequential"}, defaultValue = "any")) @Nullable @QueryValue("order") String order,
            @Parameter(description = "a whole number and a unit s, m, h, d or w, from 1m to 3650d", example = "30d", schema = @Schema(type = "string", pattern = "^[0-9]+[smhdw]$")) @Nullable @QueryValue("window") String window,
            @Parameter(description = "event types separated by commas, none a stage's", schema = @Schema(type = "string")) @Nullable @QueryValue("exclude") String exclude,
            HttpRequest<?> request) {
        return analytics.trends(request.getParameters().asMap(), LeadTable.MAINTAINED);
    }

    @Operation(summary = "The leads behind a stage", description = "In lead id order, so pages are stable while"
            + " data arrives.", security = @SecurityRequirement(name = "service-token"))
    @ApiResponse(responseCode = "200", description = "one page of leads",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = FunnelLeadsPage.class)))
    @Get("/analytics/funnel-leads")
    public FunnelLeadsPage leads(@Parameter(required = true, description = "1 to the number of stages", schema = @Schema(type = "integer", minimum = "1", maximum = "10")) @Nullable @QueryValue("stage") String stage,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"reached", "dropped"}, defaultValue = "reached")) @Nullable @QueryValue("status") String status,
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500", defaultValue = "100")) @Nullable @QueryValue("limit") String limit,
            @Parameter(description = "the next_after of the previous page", schema = @Schema(type = "integer", format = "int64", minimum = "1")) @Nullable @QueryValue("after") String after,
            @Parameter(description = "UTC day, 2000-01-01 to 2100-12-31; the cohort's first touch from it (default: 30 days ago)", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "UTC day, included; at most 3,660 days after date_from (default: today)", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(description = "only leads whose attributed touch came from it", schema = @Schema(type = "string", extensions = @io.swagger.v3.oas.annotations.extensions.Extension(properties = @io.swagger.v3.oas.annotations.extensions.ExtensionProperty(name = "x-integration-kinds", value = "pull,push,api")))) @Nullable @QueryValue("source_type") String sourceType,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_source") String utmSource,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_medium") String utmMedium,
            @Parameter(schema = @Schema(type = "string", maxLength = 500)) @Nullable @QueryValue("utm_campaign") String utmCampaign,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"first_touch", "last_touch"}, defaultValue = "first_touch")) @Nullable @QueryValue("attribution") String attribution,
            @Parameter(description = "2 to 10 stages separated by commas, each `any` or event types joined by `|`", example = "any,event_registered|ticket_purchased,event_attended", schema = @Schema(type = "string")) @Nullable @QueryValue("steps") String steps,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"any", "sequential"}, defaultValue = "any")) @Nullable @QueryValue("order") String order,
            @Parameter(description = "a whole number and a unit s, m, h, d or w, from 1m to 3650d", example = "30d", schema = @Schema(type = "string", pattern = "^[0-9]+[smhdw]$")) @Nullable @QueryValue("window") String window,
            @Parameter(description = "event types separated by commas, none a stage's", schema = @Schema(type = "string")) @Nullable @QueryValue("exclude") String exclude,
            HttpRequest<?> request) {
        return analytics.leads(request.getParameters().asMap(), LeadTable.MAINTAINED);
    }
}
