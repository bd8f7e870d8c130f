package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.analytics.FunnelAnalytics;
import com.engarde.signupsync.analytics.FunnelAnalytics.LeadTable;
import com.engarde.signupsync.analytics.FunnelReports.FunnelLeadsPage;
import com.engarde.signupsync.analytics.FunnelReports.FunnelMetricsReport;
import com.engarde.signupsync.analytics.FunnelReports.FunnelTrendsReport;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** The funnel questions; parameters and answers are described in the README ("Funnel analytics"). */
@Controller
public class FunnelAnalyticsController {

    private final FunnelAnalytics analytics;

    public FunnelAnalyticsController(FunnelAnalytics analytics) {
        this.analytics = analytics;
    }

    @Get(uris = {"/analytics/funnel-metrics", "/api/admin/analytics/funnel-metrics"})
    public FunnelMetricsReport metrics(HttpRequest<?> request) {
        return analytics.metrics(request.getParameters().asMap(), LeadTable.MAINTAINED);
    }

    @Get("/analytics/funnel-trends")
    public FunnelTrendsReport trends(HttpRequest<?> request) {
        return analytics.trends(request.getParameters().asMap(), LeadTable.MAINTAINED);
    }

    @Get("/analytics/funnel-leads")
    public FunnelLeadsPage leads(HttpRequest<?> request) {
        return analytics.leads(request.getParameters().asMap(), LeadTable.MAINTAINED);
    }
}
