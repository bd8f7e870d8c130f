package com.engarde.signupsync.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;
import com.engarde.signupsync.observability.ServiceMetric;

import java.util.Map;

/**
 * Alarms, all to one SNS topic (encrypted with a key CloudWatch may use; an optional email subscription):
 * each function's errors and throttles, the first message in any dead-letter queue, database CPU and free
 * storage, and, from the metrics the functions write as embedded metric lines ({@link ServiceMetric}): per pull
 * source, a sync that has not succeeded for {@value #SYNC_STALE_HOURS} hours (SyncSucceeded); a usage rollup that
 * has not finished for as long (UsageRollupSucceeded); per webhook receiver, deliveries refused because no secret is
 * configured (WebhookRefused, Reason not_configured).
 */
final class Alarms extends Construct {

    static final String SYNC_SUCCEEDED = ServiceMetric.SYNC_SUCCEEDED.metricName();
    static final int SYNC_STALE_HOURS = 26;

    private final Topic topic;
    private final SnsAction action;
    private final String prefix;

    Alarms(Construct scope, String id, AppSettings settings) {
        super(scope, id);
        Stage stage = settings.stage();
        prefix = "signup-sync-" + stage.id() + "-";
        Key key = Key.Builder.create(this, "TopicKey")
                .description("signup-sync " + stage.id() + " alarm topic")
                .enableKeyRotation(true)
                .removalPolicy(stage.retainedRemoval())
                .build();
        // CloudWatch cannot publish to a topic under the AWS-managed SNS key; it needs these on a customer key.
        key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        topic = Topic.Builder.create(this, "Topic")
                .displayName("signup-sync " + stage.id() + " alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        settings.alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
        action = new SnsAction(topic);
    }

    Topic topic() {
        return topic;
    }

    /** The metric namespace the functions write to (SIGNUP_SYNC_METRICS_NAMESPACE). */
    static String metricsNamespace(Stage stage) {
        return ServiceMetric.namespace(stage.id());
    }

    void watchFunction(ServiceFunction function) {
        String name = function.manifest().name();
        MetricOptions fiveMinuteSum = MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();
        alarm(name + "-errors", "Invocation errors in " + name,
                function.function().metricErrors(fiveMinuteSum), 1, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData.NOT_BREACHING);
        alarm(name + "-throttles", "Throttled invocations of " + name,
                function.function().metricThrottles(fiveMinuteSum), 1, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData.NOT_BREACHING);
        if (function.manifest().invokedAsynchronously()) {
            alarm(name + "-dead-letters", "Events or invocations of " + name + " that failed for good",
                    function.deadLetters().metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                            .period(Duration.minutes(5)).statistic("Maximum").build()),
                    1, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING);
        }
    }

    void watchDatabase(PostgresDatabase database, Stage stage) {
        alarm("database-cpu", "Database CPU above 80% for 15 minutes",
                database.instance().metricCPUUtilization(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Average").build()),
                80, 3, ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.MISSING);
        double tenPercentBytes = stage.storageGb() * 0.1 * 1024 * 1024 * 1024;
        alarm("database-free-storage", "Database free storage below 10% of its allocated " + stage.storageGb() + " GiB",
                database.instance().metricFreeStorageSpace(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Minimum").build()),
                tenPercentBytes, 1, ComparisonOperator.LESS_THAN_THRESHOLD, TreatMissingData.MISSING);
    }

    /** Pull sources only exist as long as the schedule does: with FUNNEL_SYNC_ENABLED=false nothing is expected. */
    void watchSyncFreshness(String source, Stage stage) {
        Metric succeeded = Metric.Builder.create()
                .namespace(metricsNamespace(stage))
                .metricName(SYNC_SUCCEEDED)
                .dimensionsMap(Map.of("SourceType", source))
                .statistic("Sum")
                .period(Duration.hours(1))
                .build();
        alarm("sync-stale-" + source, "No successful " + source + " sync for " + SYNC_STALE_HOURS + " hours",
                succeeded, 1, SYNC_STALE_HOURS, ComparisonOperator.LESS_THAN_THRESHOLD, TreatMissingData.BREACHING);
    }

    /** The daily usage rollup (usage-rollup's schedule) writes a data point each time it finishes. */
    void watchUsageRollup(Stage stage) {
        Metric finished = Metric.Builder.create()
                .namespace(metricsNamespace(stage))
                .metricName(ServiceMetric.USAGE_ROLLUP_SUCCEEDED.metricName())
                .statistic("Sum")
                .period(Duration.hours(1))
                .build();
        alarm("usage-rollup-stale", "No finished usage rollup for " + SYNC_STALE_HOURS + " hours",
                finished, 1, SYNC_STALE_HOURS, ComparisonOperator.LESS_THAN_THRESHOLD, TreatMissingData.BREACHING);
    }

    /** Every delivery is refused while a receiver has no secret: the vendor's retries would run out unseen. */
    void watchWebhookConfiguration(String source, Stage stage) {
        Metric refused = Metric.Builder.create()
                .namespace(metricsNamespace(stage))
                .metricName(ServiceMetric.WEBHOOK_REFUSED.metricName())
                .dimensionsMap(Map.of("SourceType", source, "Reason", "not_configured"))
                .statistic("Sum")
                .period(Duration.minutes(5))
                .build();
        alarm("webhook-not-configured-" + source, source + " deliveries refused: no webhook secret is configured",
                refused, 1, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING);
    }

    private Alarm alarm(String name, String description, IMetric metric, double threshold, int periods,
                        ComparisonOperator comparison, TreatMissingData missing) {
        Alarm alarm = Alarm.Builder.create(this, name)
                .alarmName(prefix + name)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .comparisonOperator(comparison)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        return alarm;
    }
}
