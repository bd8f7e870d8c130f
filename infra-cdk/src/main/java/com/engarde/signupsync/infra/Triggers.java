package com.engarde.signupsync.infra;

import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.SyncBus;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.CronOptions;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.constructs.Construct;

import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * The asynchronous ways in: one rule per bus trigger on the signup-sync bus, and one scheduled rule per
 * schedule trigger. Every target has EventBridge retries and the function's dead-letter queue; the function's
 * asynchronous-invocation config (retries, then the same queue) covers errors inside it.
 *
 * <p>The schedule is an EventBridge scheduled rule rather than an EventBridge Scheduler schedule: the target then
 * receives the standard "Scheduled Event" envelope that an EventBridge-aware handler already reads, with no
 * hand-built payload, and it shares the rule targets' retry and dead-letter settings and the Lambda resource
 * policy (no extra IAM role). The time is UTC, as FUNNEL_SYNC_TIME is.
 */
final class Triggers extends Construct {

    private final EventBus bus;

    Triggers(Construct scope, String id, Stage stage) {
        super(scope, id);
        bus = EventBus.Builder.create(this, "Bus")
                .eventBusName(SyncBus.name(stage.id(), stage == Stage.PROD))
                .description("SyncRequested events: the daily dispatch, manual syncs and continuations")
                .build();
    }

    EventBus bus() {
        return bus;
    }

    void wire(AppSettings settings, List<ServiceFunction> functions) {
        for (ServiceFunction function : functions) {
            for (FunctionManifest.BusTrigger trigger : function.manifest().triggers(FunctionManifest.BusTrigger.class)) {
                Rule.Builder.create(this, trigger.detailType() + "-" + trigger.source())
                        .eventBus(bus)
                        .description(trigger.detailType() + " for source_type " + trigger.source() + " -> "
                                + function.manifest().name())
                        .eventPattern(EventPattern.builder()
                                .source(List.of(SyncBus.SOURCE))
                                .detailType(List.of(trigger.detailType()))
                                .detail(Map.of("source_type", List.of(trigger.source())))
                                .build())
                        .targets(List.of(target(function)))
                        .build();
            }
            for (FunctionManifest.ScheduleTrigger trigger : function.manifest().triggers(FunctionManifest.ScheduleTrigger.class)) {
                LocalTime time = trigger.time().orElse(settings.syncTime());
                boolean enabled = trigger.time().isPresent() || settings.syncEnabled();
                Rule.Builder.create(this, "Daily-" + function.manifest().name())
                        .description("Daily at " + time + " UTC -> " + function.manifest().name()
                                + (trigger.time().isPresent() ? "" : " (FUNNEL_SYNC_TIME; off when FUNNEL_SYNC_ENABLED=false)"))
                        .schedule(Schedule.cron(CronOptions.builder()
                                .minute(Integer.toString(time.getMinute()))
                                .hour(Integer.toString(time.getHour()))
                                .build()))
                        .enabled(enabled)
                        .targets(List.of(target(function)))
                        .build();
            }
        }
    }

    private static LambdaFunction target(ServiceFunction function) {
        return new LambdaFunction(function.alias(), LambdaFunctionProps.builder()
                .retryAttempts(8)
                .maxEventAge(Duration.hours(6))
                .deadLetterQueue(function.deadLetters())
                .build());
    }
}
