package com.engarde.signupsync.functions.adminplatformusage;

import com.engarde.signupsync.admin.AdminTokens;
import com.engarde.signupsync.platform.UsageExport;
import com.engarde.signupsync.platform.UsageReports;
import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Priming: the route filter, the admin refusal and the error body (a sample request carries the service token, which
 * an admin route refuses); then what an admin's request adds below the filter: the admin token's checks (against a
 * throwaway key), and the default reports by tenant and by user and their answers' JSON. No write.
 */
@Singleton
class PlatformUsageSample implements SampleWork {

    private final AdminTokens tokens;
    private final UsageReports reports;
    private final UsageExport export;
    private final ObjectMapper json;

    PlatformUsageSample(AdminTokens tokens, UsageReports reports, UsageExport export, ObjectMapper json) {
        this.tokens = tokens;
        this.reports = reports;
        this.export = export;
        this.json = json;
    }

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/api/admin/platform/usage/users", 401));
    }

    @Override
    public void exercise() throws Exception {
        tokens.prime();
        for (UsageReports.Rows rows : UsageReports.Rows.values()) {
            json.writeValueAsBytes(reports.page(export.query(Map.of()), rows));
        }
    }
}
