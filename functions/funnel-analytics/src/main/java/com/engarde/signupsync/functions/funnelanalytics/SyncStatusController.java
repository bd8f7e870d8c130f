package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.sync.SyncStatusReport;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

/** GET /sync/status/{source_type}: last run, running run, last success, counts, next scheduled time. */
@Controller("/sync/status")
public class SyncStatusController {

    private final SyncStatusReport report;

    public SyncStatusController(SyncStatusReport report) {
        this.report = report;
    }

    @Get("/{source_type}")
    public SyncStatusReport.Report status(@PathVariable("source_type") String sourceType) {
        return report.report(sourceType);
    }
}
