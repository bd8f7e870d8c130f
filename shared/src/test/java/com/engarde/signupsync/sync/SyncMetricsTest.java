package com.engarde.signupsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class SyncMetricsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-01T18:31:00Z"), ZoneOffset.UTC);

    @Test
    void aSuccessIsOneEmbeddedMetricLineThatTheFreshnessAlarmReads() throws Exception {
        new SyncMetrics("SignupSync/prod", clock, new PrintStream(out, true, StandardCharsets.UTF_8)).succeeded("zoom");

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(clock.millis());
        assertThat(directive.path("Namespace").asText()).isEqualTo("SignupSync/prod");
        assertThat(directive.path("Dimensions").get(0).get(0).asText()).isEqualTo("SourceType");
        assertThat(directive.path("Metrics").get(0).path("Name").asText()).isEqualTo("SyncSucceeded");
        assertThat(line.path("SourceType").asText()).isEqualTo("zoom");
        assertThat(line.path("SyncSucceeded").asInt()).isEqualTo(1);
    }

    @Test
    void withoutANamespaceNothingIsWritten() {
        new SyncMetrics(" ", clock, new PrintStream(out, true, StandardCharsets.UTF_8)).succeeded("zoom");
        assertThat(out.size()).isZero();
    }
}
