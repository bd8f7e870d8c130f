package com.engarde.signupsync.observability;

import com.engarde.signupsync.testing.LogLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

/** The logging configuration every function runs (logback.xml): one JSON object per line, personal data masked. */
class JsonLogLinesTest {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLogLinesTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> logged(Runnable logging) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }

    @Test
    void aLineInAnInvocationCarriesItsFieldsAndTheFirstIsTheColdStart() {
        List<JsonNode> lines = logged(() -> {
            try (LogContext.Scope scope = LogContext.begin("funnel-events", "req-1", "corr-1")) {
                LOG.info("first");
            }
            try (LogContext.Scope scope = LogContext.begin("funnel-events", "req-2", null)) {
                LOG.info("second");
            }
            LOG.info("outside");
        });

        assertThat(lines).hasSize(3);
        assertThat(lines).allSatisfy(line -> assertThat(LogLines.FIELDS).allSatisfy(f -> assertThat(line.has(f)).as(f).isTrue()));
        JsonNode first = lines.get(0);
        assertThat(first.path("service").asText()).isEqualTo("signup-sync");
        assertThat(first.path("function_name").asText()).isEqualTo("funnel-events");
        assertThat(first.path("function_request_id").asText()).isEqualTo("req-1");
        assertThat(first.path("correlation_id").asText()).isEqualTo("corr-1");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode second = lines.get(1);
        assertThat(second.path("cold_start").asBoolean()).isFalse();
        assertThat(second.path("correlation_id").asText()).as("no correlation id: the request id").isEqualTo("req-2");
        JsonNode outside = lines.get(2);
        assertThat(outside.path("function_request_id").isNull()).isTrue();
        assertThat(outside.path("cold_start").isNull()).isTrue();
    }

    @Test
    void emailsPhonesAndCredentialsAreMaskedInTheMessageAndEveryField() {
        List<JsonNode> lines = logged(() -> {
            try (LogContext.Scope scope = LogContext.begin("funnel-events", "req-3", "jane@example.com")
                    .with("route", "GET /x/zoë.ångström@example.com")) {
                LOG.warn("lead Zoë.Ångström@Example.COM (+1 555-555-0123, 555.555.0188) said Bearer abc.def and {}",
                        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", kv("vendor", "jane%40example.com +447700900123"),
                        new IllegalStateException("mailbox jane@example.com"));
            }
        });

        assertThat(lines).hasSize(1);
        String line = lines.get(0).toString();
        assertThat(LogLines.problem(line)).isEmpty();
        assertThat(lines.get(0).path("message").asText())
                .isEqualTo("lead <email> (<phone>, <phone>) said Bearer <secret> and <secret>");
        assertThat(lines.get(0).path("vendor").asText()).isEqualTo("<email> <phone>");
        assertThat(lines.get(0).path("route").asText()).isEqualTo("GET /x/<email>");
        assertThat(lines.get(0).path("correlation_id").asText()).as("not a correlation id: the request id").isEqualTo("req-3");
        assertThat(lines.get(0).path("exception").asText()).contains("mailbox <email>");
    }

    @Test
    void numbersThatAreNoPhoneNumbersStay() {
        assertThat(PersonalDataMasker.mask("run 1234567 of zoom at 2026-06-15T12:00:00+01:00, 120 ms, id 42-1234-5678"))
                .isEqualTo("run 1234567 of zoom at 2026-06-15T12:00:00+01:00, 120 ms, id 42-1234-5678");
    }

    @Test
    void aVendorsLineBreakStaysInsideItsLine() {
        List<JsonNode> lines = logged(() -> LOG.warn("id {}", "7\n2026-06-15 12:00:00 INFO forged"));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("message").asText()).isEqualTo("id 7\n2026-06-15 12:00:00 INFO forged");
    }

    @Test
    void javaUtilLoggingComesOutAsTheSameJsonLines() {
        List<JsonNode> lines = logged(() -> java.util.logging.Logger.getLogger("org.postgresql.Driver")
                .warning("connection to jane@example.com refused"));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("logger").asText()).isEqualTo("org.postgresql.Driver");
        assertThat(lines.get(0).path("message").asText()).isEqualTo("connection to <email> refused");
        assertThat(LogLines.problem(lines.get(0).toString())).isEmpty();
    }
}
