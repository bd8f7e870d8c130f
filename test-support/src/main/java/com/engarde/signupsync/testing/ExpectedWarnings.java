package com.engarde.signupsync.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The log lines (the functions log JSON to stderr) a test provokes on purpose, kept for its assertions instead of
 * printed; every other line still reaches the console, so a warning nobody expects stays visible. The expression is
 * found in the line's plain form, {@code " LEVEL logger - message"}; {@link #lines()} are the JSON lines as logged.
 */
public final class ExpectedWarnings {

    /** A sync a test's request started for a source the test gives no credentials. */
    public static final String SYNC_WITHOUT_CREDENTIALS = "sync\\.SyncEngine - sync run \\d+ of \\w+ failed: \\w+ has no credentials configured";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream original = System.err;
    private final Pattern expected;
    private final List<String> lines = new ArrayList<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private ExpectedWarnings(Pattern expected) {
        this.expected = expected;
    }

    public static ExpectedWarnings start(Pattern expected) {
        ExpectedWarnings warnings = new ExpectedWarnings(expected);
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                warnings.write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                warnings.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        return warnings;
    }

    private synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            line.write(b[i]);
            if (b[i] == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (expected.matcher(plain(text)).find()) {
                    lines.add(text.strip());
                } else {
                    original.print(text);
                }
            }
        }
    }

    /** A JSON log line as {@code " LEVEL logger - message"}; any other line as it is. */
    static String plain(String line) {
        try {
            JsonNode json = JSON.readTree(line);
            if (json != null && json.has("level") && json.has("message")) {
                return " " + json.path("level").asText() + " " + json.path("logger").asText() + " - "
                        + json.path("message").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON: matched as it is
        }
        return line;
    }

    /** The expected lines seen so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Puts stderr back, printing a line left unfinished. */
    public synchronized void stop() {
        System.setErr(original);
        if (line.size() > 0) {
            original.print(line.toString(StandardCharsets.UTF_8));
        }
    }
}
