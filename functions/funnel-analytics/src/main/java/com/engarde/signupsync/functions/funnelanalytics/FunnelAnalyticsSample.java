package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: every route is a read. Health answers 503 where the database is unreachable at snapshot time. */
@Singleton
class FunnelAnalyticsSample implements SampleWork {

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/", 200), SampleRequest.get("/health", 200),
                SampleRequest.get("/sync/status/easyappointments", 200),
                SampleRequest.get("/analytics/funnel-metrics", 200));
    }
}
