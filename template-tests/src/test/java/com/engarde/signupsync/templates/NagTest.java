package com.engarde.signupsync.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** cdk-nag's AWS Solutions rules: no finding stands unless a suppression with a real reason accepts it. */
class NagTest {

    static Stream<Named<Synth.Result>> configurations() {
        return Stream.of(Named.of("fixture, dev", Synth.fixture()), Named.of("fixture, prod", Synth.fixture(ProdSettings.CONTEXT)),
                Named.of("this repository's functions", Synth.real()));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void noFindingIsLeftUnsuppressed(Synth.Result synth) {
        assertThat(synth.nagFindings()).isEmpty();
        assertThat(synth.nagReport()).isNotEmpty()
                .allSatisfy(row -> assertThat(row[2]).as(String.join(" | ", row)).isIn("Compliant", "Suppressed"));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void everySuppressionSaysWhy(Synth.Result synth) {
        synth.json().path("Resources").fields().forEachRemaining(resource -> {
            for (JsonNode suppression : resource.getValue().path("Metadata").path("cdk_nag").path("rules_to_suppress")) {
                assertThat(suppression.path("reason").asText()).as("%s on %s", suppression.path("id").asText(), resource.getKey())
                        .hasSizeGreaterThan(40);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void noSuppressionIsStale(Synth.Result synth) {
        Set<String> suppressed = new TreeSet<>();
        synth.json().path("Resources").forEach(resource ->
                resource.path("Metadata").path("cdk_nag").path("rules_to_suppress")
                        .forEach(s -> suppressed.add(s.path("id").asText())));
        Set<String> used = new TreeSet<>();
        synth.nagReport().stream().filter(row -> row[2].equals("Suppressed")).forEach(row -> used.add(row[0]));
        assertThat(used).as("rules suppressed somewhere and used somewhere").isEqualTo(suppressed);
    }
}
