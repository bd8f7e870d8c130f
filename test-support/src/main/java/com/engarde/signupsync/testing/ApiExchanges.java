package com.engarde.signupsync.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Every exchange of every test that goes through {@link LambdaHarness}: checked at once against the API document
 * where a module's tests can see it ({@link ApiExchangeCheck}), otherwise appended to
 * {@code target/api-exchanges/} of the module under test, which the local module's tests check against the
 * document after every function module's tests have run (the build's module order).
 */
public final class ApiExchanges {

    /** Where a module's tests leave their exchanges, relative to the module (the tests' working directory). */
    public static final Path DIRECTORY = Path.of("target", "api-exchanges");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Optional<ApiExchangeCheck> CHECK = ServiceLoader.load(ApiExchangeCheck.class).findFirst();
    private static BufferedWriter log;

    private ApiExchanges() {
    }

    static void observe(APIGatewayProxyRequestEvent request, LambdaHarness.Response response) {
        ApiExchange exchange = new ApiExchange(caller(), request.getHttpMethod(), request.getPath(), query(request),
                request.getHeaders() == null ? Map.of() : request.getHeaders(), request.getBody(),
                Boolean.TRUE.equals(request.getIsBase64Encoded()), response.status(),
                response.headers() == null ? Map.of() : response.headers(), response.body());
        if (CHECK.isPresent()) {
            CHECK.get().check(exchange);
        } else {
            record(exchange);
        }
    }

    /** The exchanges this module's tests left, one JSON object a line, for {@link ApiExchangeCheck}. */
    public static List<ApiExchange> read(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(line -> !line.isBlank()).map(line -> {
                try {
                    return JSON.readValue(line, ApiExchange.class);
                } catch (IOException e) {
                    throw new UncheckedIOException(file + ": " + e.getMessage(), e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void record(ApiExchange exchange) {
        try {
            if (log == null) {
                // One test JVM a module: what an earlier run left would be checked as if this run had sent it.
                Files.createDirectories(DIRECTORY);
                try (Stream<Path> old = Files.list(DIRECTORY)) {
                    for (Path file : old.toList()) {
                        Files.delete(file);
                    }
                }
                log = Files.newBufferedWriter(DIRECTORY.resolve("exchanges-" + ProcessHandle.current().pid() + ".jsonl"),
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            log.write(JSON.writeValueAsString(exchange));
            log.newLine();
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> query(APIGatewayProxyRequestEvent request) {
        Map<String, List<String>> query = new HashMap<>();
        if (request.getMultiValueQueryStringParameters() != null) {
            query.putAll(request.getMultiValueQueryStringParameters());
        }
        if (request.getQueryStringParameters() != null) {
            request.getQueryStringParameters().forEach((name, value) -> query.putIfAbsent(name, List.of(value)));
        }
        return query;
    }

    /** The test class and method on the stack, for a report that says which test sent the exchange. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().matches(".*(Test|Tests|Properties)(\\$.*)?$"))
                .findFirst()
                .map(f -> f.getClassName().replaceFirst("^.*\\.", "") + "." + f.getMethodName())
                .orElse("(unknown test)"));
    }
}
