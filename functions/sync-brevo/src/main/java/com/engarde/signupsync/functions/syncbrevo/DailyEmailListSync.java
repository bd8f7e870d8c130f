package com.engarde.signupsync.functions.syncbrevo;

import com.engarde.signupsync.bus.ScheduleHandler;
import com.engarde.signupsync.emaillist.EmailListRuns;
import com.engarde.signupsync.http.TimeBudget;
import jakarta.inject.Singleton;

/** The daily schedule: every lead into the configured list (BREVO_LIST_ID), after the sources' daily syncs. */
@Singleton
public class DailyEmailListSync implements ScheduleHandler {

    private final EmailListRuns runs;

    public DailyEmailListSync(EmailListRuns runs) {
        this.runs = runs;
    }

    @Override
    public void onSchedule(TimeBudget budget) {
        runs.syncDaily();
    }
}
