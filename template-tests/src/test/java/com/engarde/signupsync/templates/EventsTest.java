package com.engarde.signupsync.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventsTest {

    static Stream<Named<Synth.Result>> configurations() {
        return Stream.of(Named.of("fixture, dev", Synth.fixture()), Named.of("fixture, prod", Synth.fixture(ProdSettings.CONTEXT)),
                Named.of("this repository's functions", Synth.real()));
    }

    private static JsonNode scheduleOf(Synth.Result synth, String function) {
        String alias = synth.aliasId(function);
        return synth.resources("AWS::Events::Rule").values().stream()
                .map(rule -> rule.path("Properties"))
                .filter(rule -> rule.has("ScheduleExpression"))
                .filter(rule -> Synth.refs(rule.path("Targets").get(0).path("Arn")).contains(alias))
                .findFirst().orElseThrow(() -> new AssertionError("no schedule for " + function));
    }

    @Test
    void theDailySyncRunsAt1830UtcByDefault() {
        JsonNode schedule = scheduleOf(Synth.fixture(), "fixture-dispatch");
        assertThat(schedule.path("ScheduleExpression").asText()).isEqualTo("cron(30 18 * * ? *)");
        assertThat(schedule.path("State").asText()).isEqualTo("ENABLED");
    }

    @Test
    void theDailySyncFollowsFunnelSyncTimeAndIsOffWhenFunnelSyncEnabledIsFalse() {
        JsonNode schedule = scheduleOf(Synth.fixture(ProdSettings.CONTEXT), "fixture-dispatch");
        assertThat(schedule.path("ScheduleExpression").asText()).isEqualTo("cron(5 6 * * ? *)");
        assertThat(schedule.path("State").asText()).isEqualTo("DISABLED");
    }

    /** funnel-analytics reads the same FUNNEL_SYNC_TIME and refuses anything but HH:MM, so the synth must too. */
    @Test
    void aSyncTimeTheFunctionsWouldRefuseStopsTheSynth() {
        assertThatThrownBy(() -> Synth.of(Synth.fixtureRoot(), Map.of("FUNNEL_SYNC_TIME", "18:30:00")))
                .hasMessageContaining("FUNNEL_SYNC_TIME must be HH:MM in UTC");
    }

    @Test
    void aScheduleWithItsOwnTimeIgnoresTheSyncSettings() {
        JsonNode schedule = scheduleOf(Synth.fixture(ProdSettings.CONTEXT), "fixture-rollup");
        assertThat(schedule.path("ScheduleExpression").asText()).isEqualTo("cron(15 2 * * ? *)");
        assertThat(schedule.path("State").asText()).isEqualTo("ENABLED");
    }

    @Test
    void eachBusSourceHasOneRuleOnTheSignupSyncBusToItsFunction() {
        Synth.Result synth = Synth.fixture(ProdSettings.CONTEXT);
        Map.Entry<String, JsonNode> bus = synth.resources("AWS::Events::EventBus").entrySet().iterator().next();
        assertThat(bus.getValue().path("Properties").path("Name").asText()).isEqualTo("signup-sync");
        assertThat(Synth.fixture().resources("AWS::Events::EventBus").values().iterator().next()
                .path("Properties").path("Name").asText()).isEqualTo("signup-sync-dev");

        JsonNode rule = synth.resources("AWS::Events::Rule").values().stream()
                .map(r -> r.path("Properties"))
                .filter(r -> r.has("EventPattern"))
                .findFirst().orElseThrow();
        assertThat(Synth.refs(rule.path("EventBusName"))).containsExactly(bus.getKey());
        JsonNode pattern = rule.path("EventPattern");
        assertThat(Synth.texts(pattern.path("source"))).containsExactly("signup-sync");
        assertThat(Synth.texts(pattern.path("detail-type"))).containsExactly("SyncRequested");
        assertThat(Synth.texts(pattern.path("detail").path("source_type"))).containsExactly("alpha");
        assertThat(Synth.refs(rule.path("Targets").get(0).path("Arn"))).containsExactly(synth.aliasId("fixture-sync-alpha"));
    }

    @Test
    void theAnalyticsRollupIsFoldedDailyByFunnelAnalytics() {
        // Its own time: on whatever FUNNEL_SYNC_ENABLED says, as aScheduleWithItsOwnTimeIgnoresTheSyncSettings shows.
        JsonNode schedule = scheduleOf(Synth.real(), "funnel-analytics");
        assertThat(schedule.path("ScheduleExpression").asText()).isEqualTo("cron(40 3 * * ? *)");
        assertThat(schedule.path("State").asText()).isEqualTo("ENABLED");
    }

    @Test
    void thePoshVipReplayIsStartedByItsSyncRouteAndRunsOnItsBusRule() {
        Synth.Result synth = Synth.real();
        String alias = synth.aliasId("sync-poshvip");
        JsonNode route = synth.methods().get("POST /sync/poshvip");
        assertThat(route).as("POST /sync/poshvip is deployed").isNotNull();
        assertThat(Synth.refs(route.path("Integration").path("Uri"))).containsExactly(alias);

        List<JsonNode> rules = synth.resources("AWS::Events::Rule").values().stream()
                .map(r -> r.path("Properties"))
                .filter(r -> Synth.texts(r.path("EventPattern").path("detail").path("source_type")).contains("poshvip"))
                .toList();
        assertThat(rules).hasSize(1);
        JsonNode pattern = rules.get(0).path("EventPattern");
        assertThat(Synth.texts(pattern.path("detail-type"))).containsExactly("SyncRequested");
        assertThat(Synth.refs(rules.get(0).path("Targets").get(0).path("Arn"))).containsExactly(alias);
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void everyAsynchronousTargetRetriesAndHasADeadLetterQueue(Synth.Result synth) {
        synth.resources("AWS::Events::Rule").values().forEach(rule -> rule.path("Properties").path("Targets").forEach(target -> {
            assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).as(target.toString()).isPositive();
            String queue = target.path("DeadLetterConfig").path("Arn").path("Fn::GetAtt").get(0).asText();
            assertThat(synth.resource(queue).path("Type").asText()).isEqualTo("AWS::SQS::Queue");
        }));
        // Errors inside an asynchronously invoked function: Lambda retries, then the same dead-letter queue.
        synth.manifests().keySet().stream().filter(synth::hasAsyncTrigger).forEach(name -> {
            JsonNode config = synth.resources("AWS::Lambda::EventInvokeConfig").values().stream()
                    .map(c -> c.path("Properties"))
                    .filter(c -> Synth.refs(c.path("FunctionName")).contains(synth.functionId(name)))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " has no asynchronous invocation config"));
            assertThat(Synth.refs(config.path("Qualifier"))).as("the alias's name").containsExactly(synth.aliasId(name));
            assertThat(config.path("MaximumRetryAttempts").asInt()).isPositive();
            String queue = config.path("DestinationConfig").path("OnFailure").path("Destination").path("Fn::GetAtt").get(0).asText();
            assertThat(synth.resource(queue).path("Type").asText()).as(name).isEqualTo("AWS::SQS::Queue");
        });
    }

    @Test
    void theFixtureHasEveryKindOfAsynchronousTarget() {
        Synth.Result synth = Synth.fixture();
        assertThat(synth.resources("AWS::Events::Rule").values())
                .anyMatch(r -> r.path("Properties").has("EventPattern"))
                .anyMatch(r -> r.path("Properties").has("ScheduleExpression"));
        assertThat(synth.resources("AWS::Lambda::EventInvokeConfig")).hasSize(3);
        assertThat(synth.resources("AWS::SQS::Queue")).hasSize(3);
    }
}
