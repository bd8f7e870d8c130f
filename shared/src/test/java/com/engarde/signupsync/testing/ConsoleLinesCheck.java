package com.engarde.signupsync.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Runs around every test class of every module (listed in META-INF/services, switched on by the surefire
 * configuration): after each class, every line printed or logged since the last check must be a JSON log line with
 * the service's fields or a valid embedded-metric line, and none may hold an email address, a phone number or a
 * secret the tests use ({@link LogLines}). A class fails for a line it (or a property test before it) printed.
 * JUnit's extensions do not run around jqwik's property classes: those call {@link #start()} and
 * {@link #checkPrinted()} themselves.
 */
public final class ConsoleLinesCheck implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        checkPrinted();
    }

    /** Starts collecting what this JVM prints, if nothing started it before. */
    public static void start() {
        ConsoleLines.install();
    }

    /** Fails for a line printed or logged since the last check that the functions may not print. */
    public static void checkPrinted() {
        List<String> problems = ConsoleLines.unchecked().stream()
                .map(line -> LogLines.problem(line).map(p -> p + ": " + LogLines.shown(line)).orElse(null))
                .filter(p -> p != null).distinct().limit(20).toList();
        if (!problems.isEmpty()) {
            throw new AssertionError("lines printed by the tests that are not what the functions may print:\n  "
                    + String.join("\n  ", problems));
        }
    }
}
