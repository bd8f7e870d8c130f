package com.engarde.signupsync.sync;

import com.engarde.signupsync.bus.ScheduleHandler;
import com.engarde.signupsync.http.TimeBudget;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The daily schedule without EventBridge, for a long-running local process: at FUNNEL_SYNC_TIME (UTC) it calls
 * the {@link ScheduleHandler}s of this process, as the schedule rule calls sync-dispatch in AWS. Off unless
 * {@code SIGNUP_SYNC_IN_PROCESS_SCHEDULE=true} (property {@code signup.sync.in-process.schedule}), and never
 * with an EventBridge bus, where the rule does it.
 */
@Context
@Requires(missingProperty = "signup.sync.event.bus.name")
@Requires(property = "signup.sync.in-process.schedule", value = "true")
class InProcessSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessSchedule.class);

    private final BeanContext beans;
    private final SyncSchedule schedule;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "in-process-schedule");
        thread.setDaemon(true);
        return thread;
    });

    public InProcessSchedule(BeanContext beans, SyncSchedule schedule, Clock clock) {
        this.beans = beans;
        this.schedule = schedule;
        this.clock = clock;
        planNext();
    }

    private void planNext() {
        schedule.nextAfter(clock.instant()).ifPresentOrElse(next -> {
            long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis());
            LOG.info("daily sync scheduled in-process at {}", next);
            timer.schedule(() -> fire(next), delay, TimeUnit.MILLISECONDS);
        }, () -> LOG.info("daily sync is off (FUNNEL_SYNC_ENABLED=false)"));
    }

    private void fire(Instant due) {
        try {
            for (ScheduleHandler handler : beans.getBeansOfType(ScheduleHandler.class)) {
                handler.onSchedule(TimeBudget.unlimited());
            }
        } catch (RuntimeException e) {
            LOG.error("the daily sync due at {} failed", due, e);
        } finally {
            planNext();
        }
    }

    @PreDestroy
    public void close() {
        timer.shutdownNow();
    }
}
