package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.sync.SyncStatusReport;
import com.engarde.signupsync.api.ApiException;
import com.engarde.signupsync.api.JsonFields;
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
        String checked = JsonFields.checked("source_type", sourceType, 40);
        if (checked == null) {
            throw ApiException.invalid("source_type", "source_type is required");
        }
        return report.report(checked);
    }
}
