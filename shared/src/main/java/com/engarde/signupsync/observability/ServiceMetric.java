package com.engarde.signupsync.observability;

import java.util.List;

/**
 * Every CloudWatch metric the functions emit, with its dimension names: the only names {@link ServiceMetrics}
 * writes, and the names the CDK app's alarms read (a template test holds the two together). Plain Java: the CDK
 * app loads this class.
 */
public enum ServiceMetric {
    /** A sync run (pull source or destination) that succeeded; one per run. */
    SYNC_SUCCEEDED("SyncSucceeded", "SourceType"),
    /** A webhook delivery refused with 401 (webhooks.Rejection's id as Reason); one per refusal. */
    WEBHOOK_REFUSED("WebhookRefused", "SourceType", "Reason"),
    /** Usage records stored by one POST /usage/metrics (new ones; duplicates are not counted). */
    USAGE_RECORDS_INGESTED("UsageRecordsIngested"),
    /** Usage records one POST /usage/metrics refused as invalid. */
    USAGE_RECORDS_REFUSED("UsageRecordsRefused"),
    /** A daily usage rollup that finished; one per run. */
    USAGE_ROLLUP_SUCCEEDED("UsageRollupSucceeded");

    /** The environment variable that carries the namespace (SIGNUP_SYNC_METRICS_NAMESPACE). */
    public static final String NAMESPACE_VARIABLE = "SIGNUP_SYNC_METRICS_NAMESPACE";

    private final String metricName;
    private final List<String> dimensions;

    ServiceMetric(String metricName, String... dimensions) {
        this.metricName = metricName;
        this.dimensions = List.of(dimensions);
    }

    /** The metric's name in CloudWatch. */
    public String metricName() {
        return metricName;
    }

    /** Its one dimension set's names, in order (none: the metric has no dimensions). */
    public List<String> dimensions() {
        return dimensions;
    }

    /** The namespace a stage's functions write to. */
    public static String namespace(String stage) {
        return "SignupSync/" + stage;
    }
}
