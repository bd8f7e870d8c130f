package com.engarde.signupsync.functions.syncdispatch;

import com.engarde.signupsync.bus.ScheduleHandler;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.SyncDispatch;
import com.engarde.signupsync.bus.SyncTrigger;
import jakarta.inject.Singleton;

/** The daily schedule (FUNNEL_SYNC_TIME): a run of every active pull source. */
@Singleton
public class DailySync implements ScheduleHandler {

    private final SyncDispatch dispatch;

    public DailySync(SyncDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Override
    public void onSchedule(TimeBudget budget) {
        dispatch.requestAll(SyncTrigger.SCHEDULE);
    }
}
