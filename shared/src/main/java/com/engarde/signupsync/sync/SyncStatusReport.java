package com.engarde.signupsync.sync;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/** GET /sync/status/{source_type}: where a source's syncing stands. */
@Singleton
public class SyncStatusReport {

    /**
     * {@code lastRun}: the latest run that ended; {@code running}: the run going on, if any; {@code counts}:
     * of the latest run, running or not; {@code nextScheduledAt}: null when the schedule is off.
     */
    public record Report(String sourceType, String displayName, String kind, boolean active, @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) SyncRun lastRun,
                         @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) SyncRun running, @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) SyncRun lastSuccess, SyncCounts counts,
                         @Nullable Instant nextScheduledAt,
                         Schedule schedule) {
    }

    /** {@code runBy}: what fires it here, {@code eventbridge}, {@code in-process} or {@code none} (then it is off). */
    public record Schedule(boolean enabled, String timeUtc, String runBy) {
    }

    private final FunnelSources sources;
    private final SyncRunLog runs;
    private final SyncSchedule schedule;
    private final Clock clock;

    public SyncStatusReport(FunnelSources sources, SyncRunLog runs, SyncSchedule schedule, Clock clock) {
        this.sources = sources;
        this.runs = runs;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** The report; 404 in the one error shape for an unknown source type. */
    public Report report(String sourceType) {
        FunnelSources.Source source = sources.require(sourceType);
        SyncRun running = runs.running(sourceType).orElse(null);
        SyncRun lastRun = runs.latestFinished(sourceType).orElse(null);
        SyncRun latest = running != null ? running : lastRun;
        return new Report(source.sourceType(), source.displayName(), source.kind(), source.active(), lastRun, running,
                runs.lastSucceeded(sourceType).orElse(null), latest == null ? SyncCounts.ZERO : latest.counts(),
                source.active() && source.pulled() ? schedule.nextAfter(clock.instant()).orElse(null) : null,
                new Schedule(schedule.enabled(), schedule.timeUtc().toString(), schedule.runBy()));
    }
}
