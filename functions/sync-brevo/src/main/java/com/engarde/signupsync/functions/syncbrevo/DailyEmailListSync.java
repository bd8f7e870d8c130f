package com.engarde.signupsync.functions.syncbrevo;

import com.engarde.signupsync.bus.ScheduleHandler;
import com.engarde.signupsync.emaillist.EmailListRuns;
import com.engarde.signupsync.http.TimeBudget;
import jakarta.inject.Singleton;

/** The daily schedule (05:10 UTC, the manifest's): every lead into the configured list (BREVO_LIST_ID). */
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
