package com.engarde.signupsync.functions.dataretention;

import com.engarde.signupsync.bus.ScheduleHandler;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.retention.DataRetention;
import jakarta.inject.Singleton;

/** The daily schedule: what is past its retention goes, within the invocation's time budget. */
@Singleton
public class DailyRetention implements ScheduleHandler {

    private final DataRetention retention;

    public DailyRetention(DataRetention retention) {
        this.retention = retention;
    }

    @Override
    public void onSchedule(TimeBudget budget) {
        retention.run(budget);
    }
}
