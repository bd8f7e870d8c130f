package com.engarde.signupsync.local;

import com.engarde.signupsync.auth.FunctionManifests;
import com.engarde.signupsync.auth.FunctionManifests.Route;
import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every function manifest: a function that serves routes or bus events must declare its SnapStart sample
 * work (a {@link SampleWork} bean in its own package, com.engarde.signupsync.functions.{name without dashes}),
 * and every sample request must be for one of that function's own routes. This module has every function on its
 * classpath, as the local run does.
 */
class PrimingCoverageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static LambdaFunction lambda = new LambdaFunction();

    @Test
    void everyFunctionThatServesRequestsOrBusEventsDeclaresItsSampleWork() {
        Map<String, SampleWork> samples = samplesByFunction();
        Set<String> served = served().keySet();

        assertThat(served).as("functions with routes or bus triggers").hasSizeGreaterThanOrEqualTo(6);
        assertThat(samples.keySet()).as("functions with SampleWork (package name without dashes)")
                .containsAll(served.stream().map(PrimingCoverageTest::packageOf).toList());
    }

    @Test
    void everySampleRequestIsForARouteOfItsOwnFunction() {
        Map<String, SampleWork> samples = samplesByFunction();
        int checked = 0;
        for (Map.Entry<String, JsonNode> function : served().entrySet()) {
            List<Route> routes = FunctionManifests.parse(function.getValue());
            SampleWork sample = samples.get(packageOf(function.getKey()));
            if (sample == null) {
                continue;
            }
            for (SampleRequest request : sample.requests()) {
                assertThat(routes).as("%s samples %s %s", function.getKey(), request.method(), request.path())
                        .anyMatch(route -> route.pattern().matcher(request.route()).matches());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

    private static Map<String, SampleWork> samplesByFunction() {
        Map<String, SampleWork> byPackage = new HashMap<>();
        for (SampleWork sample : lambda.harness().context().getBeansOfType(SampleWork.class)) {
            String name = sample.getClass().getPackageName();
            assertThat(byPackage.put(name.substring(name.lastIndexOf('.') + 1), sample))
                    .as("one SampleWork per function, in %s", name).isNull();
        }
        return byPackage;
    }

    /** The manifests of functions with a route or a bus trigger, by function name. */
    private static Map<String, JsonNode> served() {
        Path functions = LambdaHarness.eventsDir().getParent().resolve("functions");
        Map<String, JsonNode> served = new HashMap<>();
        try (Stream<Path> dirs = Files.list(functions)) {
            for (Path manifest : dirs.map(d -> d.resolve("function.json")).filter(Files::exists).toList()) {
                JsonNode json = JSON.readTree(manifest.toFile());
                boolean bus = false;
                for (JsonNode trigger : json.path("triggers")) {
                    bus |= trigger.path("type").asText().equals("bus");
                }
                if (json.path("routes").size() > 0 || bus) {
                    served.put(json.path("name").asText(), json);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return served;
    }

    private static String packageOf(String function) {
        return function.replace("-", "");
    }
}
