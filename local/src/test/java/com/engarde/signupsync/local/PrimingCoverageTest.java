package com.engarde.signupsync.local;

import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.FunctionManifest.Route;
import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every function manifest: a function that serves routes or bus events must declare its SnapStart sample
 * work (a {@link SampleWork} bean in its own package, com.engarde.signupsync.functions.{name without dashes}),
 * and every sample request must be for one of that function's own routes. This module has every function on its
 * classpath, as the local run does.
 */
class PrimingCoverageTest {

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
        for (Map.Entry<String, FunctionManifest> function : served().entrySet()) {
            List<Route> routes = function.getValue().routes();
            SampleWork sample = samples.get(packageOf(function.getKey()));
            if (sample == null) {
                continue;
            }
            for (SampleRequest request : sample.requests()) {
                assertThat(routes).as("%s samples %s %s", function.getKey(), request.method(), request.path())
                        .anyMatch(route -> route.matches(route.method(), request.route()));
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
    private static Map<String, FunctionManifest> served() {
        Path functions = LambdaHarness.eventsDir().getParent().resolve("functions");
        Map<String, FunctionManifest> served = new HashMap<>();
        for (FunctionManifest manifest : FunctionManifest.readAll(functions)) {
            if (!manifest.routes().isEmpty() || !manifest.triggers(FunctionManifest.BusTrigger.class).isEmpty()) {
                served.put(manifest.name(), manifest);
            }
        }
        return served;
    }

    private static String packageOf(String function) {
        return function.replace("-", "");
    }
}
