package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.analytics.FunnelAnalytics;
import com.engarde.signupsync.bus.ScheduleHandler;
import com.engarde.signupsync.http.TimeBudget;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The schedule folds the rollup's deltas, so that reads find them folded and compact only when far behind. */
@Singleton
public class ScheduledCompaction implements ScheduleHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledCompaction.class);

    private final FunnelAnalytics analytics;

    public ScheduledCompaction(FunnelAnalytics analytics) {
        this.analytics = analytics;
    }

    @Override
    public void onSchedule(TimeBudget budget) {
        LOG.info("analytics compaction folded {} delta(s)", analytics.compact());
    }
}
