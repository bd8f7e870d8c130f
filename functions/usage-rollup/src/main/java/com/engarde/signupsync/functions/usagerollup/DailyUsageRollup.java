package com.engarde.signupsync.functions.usagerollup;

import com.engarde.signupsync.bus.ScheduleHandler;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.platform.UsageRollups;
import jakarta.inject.Singleton;

/** The daily schedule: every day whose raw records changed since the last run is rolled up again. */
@Singleton
public class DailyUsageRollup implements ScheduleHandler {

    private final UsageRollups rollups;

    public DailyUsageRollup(UsageRollups rollups) {
        this.rollups = rollups;
    }

    @Override
    public void onSchedule(TimeBudget budget) {
        rollups.rollDirtyDays();
    }
}
