package com.engarde.signupsync.templates;

import com.engarde.signupsync.observability.ServiceMetric;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AlarmsTest {

    static Stream<Named<Synth.Result>> configurations() {
        return Stream.of(Named.of("fixture, dev", Synth.fixture()), Named.of("fixture, prod", Synth.fixture(ProdSettings.CONTEXT)),
                Named.of("this repository's functions", Synth.real()));
    }

    private static List<JsonNode> alarms(Synth.Result synth, String metric) {
        return synth.resources("AWS::CloudWatch::Alarm").values().stream()
                .map(a -> a.path("Properties"))
                .filter(a -> a.path("MetricName").asText().equals(metric))
                .toList();
    }

    private static boolean dimensionRefers(JsonNode alarm, String logicalId) {
        return Synth.refs(alarm.path("Dimensions")).contains(logicalId);
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void everyFunctionAlarmsOnErrorsAndThrottles(Synth.Result synth) {
        synth.manifests().keySet().forEach(name -> {
            String function = synth.functionId(name);
            for (String metric : List.of("Errors", "Throttles")) {
                assertThat(alarms(synth, metric)).as("%s %s", name, metric).anySatisfy(alarm -> {
                    assertThat(dimensionRefers(alarm, function)).isTrue();
                    assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1);
                    assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
                });
            }
        });
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void anyMessageInAnyDeadLetterQueueAlarms(Synth.Result synth) {
        synth.resources("AWS::SQS::Queue").keySet().forEach(queue ->
                assertThat(alarms(synth, "ApproximateNumberOfMessagesVisible")).as(queue).anySatisfy(alarm -> {
                    assertThat(dimensionRefers(alarm, queue)).isTrue();
                    assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1);
                    assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
                }));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void theDatabaseAlarmsOnCpuAndFreeStorage(Synth.Result synth) {
        String db = synth.resources("AWS::RDS::DBInstance").keySet().iterator().next();
        assertThat(alarms(synth, "CPUUtilization")).singleElement().satisfies(a -> assertThat(dimensionRefers(a, db)).isTrue());
        assertThat(alarms(synth, "FreeStorageSpace")).singleElement().satisfies(a -> {
            assertThat(dimensionRefers(a, db)).isTrue();
            assertThat(a.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
        });
    }

    @Test
    void aSourceWithoutASuccessfulSyncFor26HoursAlarms() {
        JsonNode alarm = alarms(Synth.fixture(), "SyncSucceeded").get(0);
        assertThat(alarms(Synth.fixture(), "SyncSucceeded")).hasSize(1);
        assertThat(alarm.path("Namespace").asText()).isEqualTo("SignupSync/dev");
        assertThat(alarm.path("Dimensions").get(0).path("Name").asText()).isEqualTo("SourceType");
        assertThat(alarm.path("Dimensions").get(0).path("Value").asText()).isEqualTo("alpha");
        assertThat(alarm.path("Period").asInt() * alarm.path("EvaluationPeriods").asInt()).isEqualTo(26 * 3600);
        assertThat(alarm.path("DatapointsToAlarm").asInt()).isEqualTo(alarm.path("EvaluationPeriods").asInt());
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
        assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1);
        assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("breaching");
    }

    @Test
    void withTheDailySyncOffNoSyncIsExpected() {
        assertThat(alarms(Synth.fixture(ProdSettings.CONTEXT), "SyncSucceeded")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void everyAlarmNotifiesTheEncryptedTopic(Synth.Result synth) {
        String topic = synth.resources("AWS::SNS::Topic").keySet().iterator().next();
        assertThat(synth.resource(topic).path("Properties").has("KmsMasterKeyId")).isTrue();
        synth.resources("AWS::CloudWatch::Alarm").values().forEach(alarm -> {
            assertThat(Synth.refs(alarm.path("Properties").path("AlarmActions"))).containsExactly(topic);
            assertThat(Synth.refs(alarm.path("Properties").path("OKActions"))).containsExactly(topic);
        });
    }

    @Test
    void theAlarmEmailIsSubscribedOnlyWhenGiven() {
        assertThat(Synth.fixture().resources("AWS::SNS::Subscription")).isEmpty();
        assertThat(Synth.fixture(ProdSettings.CONTEXT).resources("AWS::SNS::Subscription").values()).singleElement().satisfies(s -> {
            assertThat(s.path("Properties").path("Protocol").asText()).isEqualTo("email");
            assertThat(s.path("Properties").path("Endpoint").asText()).isEqualTo("oncall@example.com");
        });
    }

    /**
     * An alarm on the functions' own metrics names one the functions emit: the namespace their environment gives
     * them (SIGNUP_SYNC_METRICS_NAMESPACE), a metric name {@link ServiceMetric} declares (the only names
     * observability.ServiceMetrics writes; ServiceMetricsTest checks its lines) and exactly its dimensions.
     */
    @ParameterizedTest
    @MethodSource("configurations")
    void theAlarmsOnTheFunctionsMetricsNameMetricsTheFunctionsEmit(Synth.Result synth) {
        java.util.Set<String> namespaces = new java.util.HashSet<>();
        synth.resources("AWS::Lambda::Function").values().forEach(f -> {
            JsonNode value = f.path("Properties").path("Environment").path("Variables").path(ServiceMetric.NAMESPACE_VARIABLE);
            if (value.isTextual()) {
                namespaces.add(value.asText());
            }
        });
        assertThat(namespaces).singleElement().satisfies(n -> assertThat(n).startsWith("SignupSync/"));
        List<JsonNode> own = synth.resources("AWS::CloudWatch::Alarm").values().stream().map(a -> a.path("Properties"))
                .filter(a -> !a.path("Namespace").asText().startsWith("AWS/")).toList();
        assertThat(own).allSatisfy(alarm -> {
            assertThat(namespaces).contains(alarm.path("Namespace").asText());
            ServiceMetric metric = java.util.Arrays.stream(ServiceMetric.values())
                    .filter(m -> m.metricName().equals(alarm.path("MetricName").asText())).findFirst().orElse(null);
            assertThat(metric).as("a metric the functions emit: %s", alarm.path("MetricName")).isNotNull();
            List<String> dimensions = new java.util.ArrayList<>();
            alarm.path("Dimensions").forEach(d -> dimensions.add(d.path("Name").asText()));
            assertThat(dimensions).containsExactlyInAnyOrderElementsOf(metric.dimensions());
        });
    }

    @Test
    void theUsageRollupAndTheWebhookReceiverAlarmOnTheirMetrics() {
        assertThat(alarms(Synth.real(), ServiceMetric.SYNC_SUCCEEDED.metricName())).isNotEmpty();
        assertThat(alarms(Synth.real(), ServiceMetric.USAGE_ROLLUP_SUCCEEDED.metricName())).singleElement().satisfies(a -> {
            assertThat(a.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
            assertThat(a.path("TreatMissingData").asText()).isEqualTo("breaching");
        });
        assertThat(alarms(Synth.real(), ServiceMetric.WEBHOOK_REFUSED.metricName())).singleElement().satisfies(a -> {
            List<String> values = new java.util.ArrayList<>();
            a.path("Dimensions").forEach(d -> values.add(d.path("Name").asText() + "=" + d.path("Value").asText()));
            assertThat(values).containsExactlyInAnyOrder("SourceType=poshvip", "Reason=not_configured");
        });
    }
}
