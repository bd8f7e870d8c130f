package com.engarde.signupsync.local;

import com.engarde.signupsync.testing.ApiExchange;
import com.engarde.signupsync.testing.ApiExchanges;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchanges every function module's tests made through the harness, checked against the API document
 * ({@link DocumentedExchanges}): those modules compile before the document exists, so their tests record what
 * they sent and got ({@link ApiExchanges}) and this module, built after all of them, holds it to the contract.
 */
class RecordedExchangesTest {

    @Test
    void everyFunctionModulesExchangesAreAsDocumented() throws IOException {
        Map<String, List<ApiExchange>> byModule = recorded();
        assertThat(byModule).as("exchanges recorded by the function modules' tests (run them first: -am)").isNotEmpty();
        int exchanges = 0;
        Map<String, String> violations = new LinkedHashMap<>();
        for (Map.Entry<String, List<ApiExchange>> module : byModule.entrySet()) {
            for (ApiExchange exchange : module.getValue()) {
                exchanges++;
                try {
                    new DocumentedExchanges().check(exchange);
                } catch (AssertionError violation) {
                    // One report per test and route, however often it repeats the exchange.
                    violations.putIfAbsent(module.getKey() + " " + exchange.test() + " " + exchange.method() + " "
                            + exchange.path() + " " + exchange.status(), violation.getMessage());
                }
            }
        }
        assertThat(exchanges).as("exchanges checked").isGreaterThan(0);
        assertThat(violations.values()).as(violations.size() + " exchanges of " + exchanges + " break the document")
                .isEmpty();
    }

    /** Each function module's recorded exchanges, by module. */
    static Map<String, List<ApiExchange>> recorded() throws IOException {
        Map<String, List<ApiExchange>> byModule = new TreeMap<>();
        Path functions = Path.of("..", "functions").toAbsolutePath().normalize();
        try (Stream<Path> modules = Files.list(functions)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                Path dir = module.resolve(ApiExchanges.DIRECTORY);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                List<ApiExchange> exchanges = new ArrayList<>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                        exchanges.addAll(ApiExchanges.read(file));
                    }
                }
                byModule.put(module.getFileName().toString(), exchanges);
            }
        }
        return byModule;
    }
}
