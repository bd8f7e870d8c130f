package com.engarde.signupsync.local;

import com.engarde.signupsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick tour, pasted into bash as written, against a fresh local run on a free port: every step
 * answers what its {@code #=>} lines say, in order. The stub's jar is this test's class path, and its port a free one.
 */
class LocalQuickTourTest {

    private static final Pattern TOUR = Pattern.compile("## Quick tour\\n.*?```sh\\n(.*?)```", Pattern.DOTALL);
    private static final String STUB_JAR = "local/target/signup-sync-local.jar";
    private static final String STUB_PORT = "8090";

    @Test
    void theQuickTourAnswersAsWritten(@TempDir Path home) throws Exception {
        String tour = tour();
        List<String> expected = expectations(tour);
        assertThat(expected).as("the tour's #=> lines").hasSizeGreaterThanOrEqualTo(8);
        assertThat(tour).contains(STUB_JAR, STUB_PORT, ". .signup-sync/local-run.env");

        TestDatabase.get().truncate();
        Path data = home.resolve(".signup-sync");
        Map<String, String> env = Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_DATA_DIR", data.toString());
        try (LocalRun run = LocalRun.start(env)) {
            assertThat(run.url()).doesNotEndWith(":8080");
            String script = tour.replace(STUB_JAR, System.getProperty("java.class.path"))
                    .replace(STUB_PORT, String.valueOf(freePort()));
            ProcessBuilder bash = new ProcessBuilder("bash", "-c", script).directory(home.toFile())
                    .redirectErrorStream(true);
            String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
            bash.environment().put("PATH", javaBin + ":" + bash.environment().getOrDefault("PATH", "/usr/bin:/bin"));
            Process process = bash.start();
            String output;
            try {
                boolean ended = process.waitFor(180, TimeUnit.SECONDS);
                output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(ended).as("the tour ended; it printed:\n" + output).isTrue();
            } finally {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroyForcibly();
            }
            assertThat(process.exitValue()).as(output).isZero();
            int from = 0;
            for (String fragment : expected) {
                int at = output.indexOf(fragment, from);
                assertThat(at).as("'" + fragment + "' after what came before, in:\n" + output).isNotNegative();
                from = at + fragment.length();
            }
        }
    }

    static String tour() throws IOException {
        Matcher m = TOUR.matcher(Files.readString(DocumentationLinksTest.ROOT.resolve("README.md")));
        assertThat(m.find()).as("the README's quick tour block").isTrue();
        return m.group(1);
    }

    private static List<String> expectations(String tour) {
        List<String> expected = new ArrayList<>();
        for (String line : tour.split("\n")) {
            if (line.startsWith("#=> ")) {
                expected.add(line.substring(4).strip());
            }
        }
        return expected;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
