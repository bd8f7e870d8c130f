package com.engarde.signupsync.bus;

import com.engarde.signupsync.http.TimeBudget;

/**
 * Receives the daily EventBridge schedule ({@code detail-type} "Scheduled Event", source "aws.events") when
 * the {@link LambdaHandler} is a schedule rule's target. sync-dispatch declares one.
 */
public interface ScheduleHandler {

    void onSchedule(TimeBudget budget);
}
