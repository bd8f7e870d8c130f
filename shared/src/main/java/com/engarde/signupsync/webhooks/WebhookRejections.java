package com.engarde.signupsync.webhooks;

import com.engarde.signupsync.observability.ServiceMetric;
import com.engarde.signupsync.observability.ServiceMetrics;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts refused deliveries per source and reason as the CloudWatch metric {@value #METRIC} (dimensions
 * SourceType, Reason). Never a database row: an unauthenticated request must not be able to write, and a
 * flood of them must not cost a connection each. The refused delivery itself is not kept.
 */
@Singleton
public class WebhookRejections {

    public static final String METRIC = ServiceMetric.WEBHOOK_REFUSED.metricName();

    private final ServiceMetrics metrics;
    private final Map<String, AtomicLong> counted = new ConcurrentHashMap<>();

    public WebhookRejections(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    public void count(String sourceType, Rejection reason) {
        metrics.count(ServiceMetric.WEBHOOK_REFUSED, sourceType, reason.id());
        counted.computeIfAbsent(sourceType + "/" + reason.id(), k -> new AtomicLong()).incrementAndGet();
    }

    /** Refusals counted by this process since it started: what the metric received from it. */
    public long counted(String sourceType, Rejection reason) {
        AtomicLong n = counted.get(sourceType + "/" + reason.id());
        return n == null ? 0 : n.get();
    }
}
