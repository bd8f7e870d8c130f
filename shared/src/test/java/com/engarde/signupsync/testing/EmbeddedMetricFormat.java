package com.engarde.signupsync.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CloudWatch's embedded metric format specification, as a check of one line: the {@code _aws} member with a
 * Timestamp in epoch milliseconds and a non-empty CloudWatchMetrics array of directives, each with a Namespace,
 * Dimensions (an array of dimension sets, each an array of at most 30 names of string members of the line) and
 * Metrics (1 to 100 objects with a Name and an optional known Unit), each metric a number or an array of numbers
 * (at most 100) in the line.
 */
public final class EmbeddedMetricFormat {

    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    private EmbeddedMetricFormat() {
    }

    /** What the line breaks of the specification; empty for a valid line. */
    public static List<String> problems(JsonNode line) {
        List<String> problems = new ArrayList<>();
        JsonNode aws = line.path("_aws");
        if (!aws.isObject()) {
            return List.of("_aws is not an object");
        }
        JsonNode timestamp = aws.path("Timestamp");
        if (!timestamp.isIntegralNumber() || timestamp.asLong() < 1_000_000_000_000L || timestamp.asLong() > 100_000_000_000_000L) {
            problems.add("Timestamp is not epoch milliseconds");
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray() || directives.isEmpty()) {
            problems.add("CloudWatchMetrics is not a non-empty array");
            return problems;
        }
        for (JsonNode directive : directives) {
            if (!directive.path("Namespace").isTextual() || directive.path("Namespace").asText().isBlank()
                    || directive.path("Namespace").asText().length() > 255) {
                problems.add("a directive without a Namespace");
            }
            JsonNode dimensions = directive.path("Dimensions");
            if (!dimensions.isArray()) {
                problems.add("Dimensions is not an array");
            } else {
                for (JsonNode set : dimensions) {
                    if (!set.isArray() || set.size() > 30) {
                        problems.add("a dimension set that is not an array of at most 30 names");
                        continue;
                    }
                    Set<String> seen = new HashSet<>();
                    for (JsonNode name : set) {
                        if (!name.isTextual() || !line.path(name.asText()).isTextual()) {
                            problems.add("dimension " + name + " is not a string member of the line");
                        } else if (!seen.add(name.asText())) {
                            problems.add("dimension " + name + " named twice in one set");
                        }
                    }
                }
            }
            JsonNode metrics = directive.path("Metrics");
            if (!metrics.isArray() || metrics.isEmpty() || metrics.size() > 100) {
                problems.add("Metrics is not an array of 1 to 100 metrics");
                continue;
            }
            for (JsonNode metric : metrics) {
                String name = metric.path("Name").asText("");
                if (name.isBlank() || name.length() > 1024) {
                    problems.add("a metric without a Name");
                    continue;
                }
                if (metric.has("Unit") && !UNITS.contains(metric.path("Unit").asText())) {
                    problems.add("metric " + name + " has the unknown unit " + metric.path("Unit"));
                }
                JsonNode value = line.path(name);
                boolean numbers = value.isNumber() || value.isArray() && !value.isEmpty() && value.size() <= 100
                        && java.util.stream.StreamSupport.stream(value.spliterator(), false).allMatch(JsonNode::isNumber);
                if (!numbers) {
                    problems.add("metric " + name + " is not a number or an array of at most 100 numbers in the line");
                }
            }
        }
        return problems;
    }
}
