package com.engarde.signupsync.sync;

import com.engarde.signupsync.manifest.DailySchedule;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The daily sync: at {@code FUNNEL_SYNC_TIME} (HH:MM, UTC, default 18:30) unless {@code FUNNEL_SYNC_ENABLED}
 * is false. In AWS the EventBridge schedule rule fires it (CDK reads the same variables); a local run fires it
 * only with {@code SIGNUP_SYNC_IN_PROCESS_SCHEDULE=true}. The status endpoint reports the next time from here,
 * none where nothing fires it.
 */
@Singleton
public class SyncSchedule {

    /** What fires the schedule in this process's world: the EventBridge rule, the in-process timer, or nothing. */
    static final String EVENTBRIDGE = "eventbridge";
    static final String IN_PROCESS = "in-process";
    static final String NONE = "none";

    private final boolean enabled;
    private final LocalTime timeUtc;
    private final String runBy;

    /**
     * {@code inProcess}: unset where the EventBridge rule fires the schedule (AWS); {@code true} where the
     * in-process timer does; anything else (the local run without it) where nothing does.
     */
    public SyncSchedule(@Value("${funnel.sync.enabled:true}") boolean enabled,
                        @Value("${funnel.sync.time:}") String time,
                        @Value("${signup.sync.in-process.schedule:}") String inProcess) {
        this.runBy = inProcess == null || inProcess.isBlank() ? EVENTBRIDGE
                : Boolean.parseBoolean(inProcess.strip()) ? IN_PROCESS : NONE;
        this.enabled = enabled && !runBy.equals(NONE);
        // The default is here, not in the placeholder: its colon would end the placeholder's default.
        this.timeUtc = time == null || time.isBlank() ? DailySchedule.DEFAULT_TIME
                : DailySchedule.parseTime(DailySchedule.TIME_VARIABLE, time);
    }

    public boolean enabled() {
        return enabled;
    }

    /** {@code eventbridge}, {@code in-process} or {@code none}. */
    public String runBy() {
        return runBy;
    }

    public LocalTime timeUtc() {
        return timeUtc;
    }

    /** The first scheduled time strictly after {@code now}; empty when the schedule is off. */
    public Optional<Instant> nextAfter(Instant now) {
        if (!enabled) {
            return Optional.empty();
        }
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        Instant at = today.atTime(timeUtc).toInstant(ZoneOffset.UTC);
        return Optional.of(at.isAfter(now) ? at : today.plusDays(1).atTime(timeUtc).toInstant(ZoneOffset.UTC));
    }
}
