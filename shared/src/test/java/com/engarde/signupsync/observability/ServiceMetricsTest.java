package com.engarde.signupsync.observability;

import com.engarde.signupsync.testing.EmbeddedMetricFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every metric the functions emit, as Powertools writes it: valid embedded metric format with its declared names. */
class ServiceMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> printed(Runnable emitting) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            emitting.run();
        } finally {
            System.setOut(original);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).lines().toList()) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    @Test
    void everyMetricIsOneValidEmbeddedMetricLineWithItsDeclaredNameAndDimensions() throws Exception {
        ServiceMetrics metrics = new ServiceMetrics("SignupSync/test");
        long before = System.currentTimeMillis();
        for (ServiceMetric metric : ServiceMetric.values()) {
            List<JsonNode> lines = printed(() -> metrics.add(metric, 3,
                    metric.dimensions().stream().map(d -> d.toLowerCase() + "-value").toArray(String[]::new)));

            assertThat(lines).as(metric.name()).hasSize(1);
            JsonNode line = lines.get(0);
            assertThat(EmbeddedMetricFormat.problems(line)).as(line.toString()).isEmpty();
            JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("SignupSync/test");
            assertThat(directive.path("Dimensions")).hasSize(1);
            List<String> names = new ArrayList<>();
            directive.path("Dimensions").get(0).forEach(n -> names.add(n.asText()));
            assertThat(names).as(metric.name()).containsExactlyInAnyOrderElementsOf(metric.dimensions());
            metric.dimensions().forEach(d -> assertThat(line.path(d).asText()).isEqualTo(d.toLowerCase() + "-value"));
            assertThat(directive.path("Metrics")).hasSize(1);
            assertThat(directive.path("Metrics").get(0).path("Name").asText()).isEqualTo(metric.metricName());
            assertThat(directive.path("Metrics").get(0).path("Unit").asText()).isEqualTo("Count");
            assertThat(line.path(metric.metricName()).asDouble()).isEqualTo(3);
            assertThat(line.path("_aws").path("Timestamp").asLong()).isBetween(before, System.currentTimeMillis());
        }
    }

    @Test
    void withoutANamespaceNothingIsWritten() throws Exception {
        assertThat(printed(() -> new ServiceMetrics(" ").count(ServiceMetric.SYNC_SUCCEEDED, "zoom"))).isEmpty();
    }

    @Test
    void theValidatorRefusesWhatTheSpecificationForbids() throws Exception {
        JsonNode missingDimension = JSON.readTree("{\"_aws\":{\"Timestamp\":1760000000000,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[\"SourceType\"]],\"Metrics\":[{\"Name\":\"M\",\"Unit\":\"Count\"}]}]},\"M\":1}");
        JsonNode notANumber = JSON.readTree("{\"_aws\":{\"Timestamp\":1760000000,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"M\",\"Unit\":\"Things\"}]}]},\"M\":\"1\"}");
        assertThat(EmbeddedMetricFormat.problems(missingDimension)).hasSize(1);
        assertThat(EmbeddedMetricFormat.problems(notANumber)).hasSize(3);
    }
}
