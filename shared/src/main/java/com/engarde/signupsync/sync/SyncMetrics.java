package com.engarde.signupsync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.io.PrintStream;
import java.time.Clock;

/**
 * A successful sync as a CloudWatch data point: one line in CloudWatch's embedded metric format on standard
 * output, which Lambda's log delivery turns into metric {@value #SUCCEEDED} (dimension SourceType) in the namespace
 * SIGNUP_SYNC_METRICS_NAMESPACE. The stack's "no successful sync for 26 hours" alarm reads it. No API call and no
 * IAM permission are involved; where the namespace is not set (local runs, tests), nothing is written.
 */
@Singleton
public class SyncMetrics {

    static final String SUCCEEDED = "SyncSucceeded";

    private final String namespace;
    private final Clock clock;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public SyncMetrics(@Nullable @Value("${signup.sync.metrics.namespace:}") String namespace, Clock clock) {
        this(namespace, clock, System.out);
    }

    SyncMetrics(String namespace, Clock clock, PrintStream out) {
        this.namespace = namespace == null || namespace.isBlank() ? null : namespace.strip();
        this.clock = clock;
        this.out = out;
    }

    public void succeeded(String sourceType) {
        count(SUCCEEDED, java.util.Map.of("SourceType", sourceType));
    }

    /** One data point of {@code metric} (a count of 1) with these dimensions, in the same format. */
    public void count(String metric, java.util.Map<String, String> dimensions) {
        if (namespace == null) {
            return;
        }
        ObjectNode line = json.createObjectNode();
        ObjectNode directive = line.putObject("_aws").put("Timestamp", clock.millis())
                .putArray("CloudWatchMetrics").addObject().put("Namespace", namespace);
        var names = directive.putArray("Dimensions").addArray();
        new java.util.TreeMap<>(dimensions).forEach((name, value) -> {
            names.add(name);
            line.put(name, value);
        });
        directive.putArray("Metrics").addObject().put("Name", metric).put("Unit", "Count");
        line.put(metric, 1);
        try {
            out.println(json.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
