package com.engarde.signupsync.observability;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions' CloudWatch metrics, written by Powertools for AWS Lambda's metrics module as lines in CloudWatch's
 * embedded metric format on standard output, which Lambda's log delivery turns into metrics in the namespace
 * {@code signup.sync.metrics.namespace} (SIGNUP_SYNC_METRICS_NAMESPACE). No API call, no IAM permission. Each data
 * point is its own line ({@link Metrics#flushSingleMetric}), so concurrent requests share no state and nothing waits
 * for the end of an invocation; the module's handler annotation (AspectJ) is not used. Where the namespace is not
 * set (local runs, most tests), nothing is written.
 */
@Singleton
public class ServiceMetrics {

    static {
        // The embedded-metric library would otherwise probe for its environment (EC2 and ECS metadata endpoints)
        // outside Lambda. Lambda's environment writes to standard output, here as in AWS.
        EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Lambda);
    }

    private final String namespace;
    private final Metrics metrics;

    public ServiceMetrics(@Nullable @Value("${signup.sync.metrics.namespace:}") String namespace) {
        this.namespace = namespace == null || namespace.isBlank() ? null : namespace.strip();
        this.metrics = MetricsFactory.getMetricsInstance();
    }

    /** One data point of {@code metric}: a count of 1. */
    public void count(ServiceMetric metric, String... dimensionValues) {
        add(metric, 1, dimensionValues);
    }

    /** One data point of {@code metric} with {@code value} (a count), its dimensions' values in declared order. */
    public void add(ServiceMetric metric, double value, String... dimensionValues) {
        List<String> names = metric.dimensions();
        if (names.size() != dimensionValues.length) {
            throw new IllegalArgumentException(metric + " takes the dimensions " + names);
        }
        if (namespace == null) {
            return;
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            dimensions.put(names.get(i), dimensionValues[i]);
        }
        metrics.flushSingleMetric(metric.metricName(), value, MetricUnit.COUNT, namespace, DimensionSet.of(dimensions));
    }
}
