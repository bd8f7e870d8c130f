package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.appointments.Appointment;
import com.engarde.signupsync.appointments.Outcome;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.AnthropicStub;
import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.RecordedWaits;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The insights' narrative against a stub of Anthropic's Messages API: what the prompt holds (no name, email,
 * phone, id or free text of the fixture), and each status: present, cached, failed, timed out, spend-limited
 * (absent: InsightsTest, which has no key; an answer that never comes: InsightNarrativeTimeoutTest).
 */
@ExpectsWarnings({"narrative of \\w+ not written", "Anthropic .*retry \\d+ of"})
class InsightNarrativeTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final AnthropicStub STUB = new AnthropicStub();

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(properties());

    /** What identifies the fixture's people, and the business's free text: none of it may leave in a prompt. */
    private static final List<String> PERSONAL = new ArrayList<>();

    private static Map<String, Object> properties() {
        Map<String, Object> properties = AdminRequests.properties();
        properties.put("anthropic.api.url", STUB.apiUrl());
        properties.put("anthropic.api.key", AnthropicStub.KEY);
        properties.put("test.waits", "recorded");
        return properties;
    }

    @AfterAll
    static void stop() {
        STUB.close();
    }

    @BeforeEach
    void data() {
        TestClock.INSTANCE.set(NOW);
        SyncedAppointments data = new SyncedAppointments();
        PERSONAL.clear();
        String[] first = {"Zebulon", "Quintessa", "Ottoline", "Barnaby", "Philippa", "Leopold"};
        String[] last = {"Fairweather", "Montgomery", "Thistlewood", "Ravenscroft", "Whitlock", "Ashbury"};
        for (int i = 0; i < 6; i++) {
            long id = 918273601L + i;
            long customer = 730000401L + i;
            String email = first[i].toLowerCase() + ".private@hidden-" + (i % 2) + ".example";
            String phone = "+1415555019" + i;
            Instant start = Instant.parse("2026-05-0" + (i + 1) + "T09:00:00Z");
            data.add(new Appointment(id, start.minusSeconds(86400 * (i + 1)), start, start.plusSeconds(1800), "UTC",
                    i % 3 == 0 ? "Attended" : "Booked", i % 3 == 0 ? Outcome.COMPLETED : Outcome.BOOKED,
                    new Appointment.Service(4400017L, "Private lesson with Marguerite", new BigDecimal("45.00"), "USD", 30),
                    5500023L, new Appointment.Customer(customer, email, first[i], last[i], phone)));
            PERSONAL.addAll(List.of(Long.toString(id), Long.toString(customer), email, email.substring(0, email.indexOf('@')),
                    "hidden-" + (i % 2) + ".example", phone, phone.substring(2), first[i], last[i]));
        }
        PERSONAL.addAll(List.of("4400017", "5500023", "Marguerite", "Private lesson", "Attended"));
        data.write(lambda.harness());
        STUB.text("Bookings held steady.");
        waitsBefore = lambda.harness().context().getBean(RecordedWaits.class).waits().size();
    }

    private static JsonNode narrative(String type) {
        Response answer = lambda.handle(AdminRequests.request("GET", "/api/admin/easyappointments/insights", null,
                Map.of("analysis_type", type, "date_from", "2026-05-01", "date_to", "2026-05-31"), AdminJwts.superuser(NOW)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("figures").path("total").asLong()).as("the figures are answered whatever the narrative")
                .isEqualTo(6);
        return answer.json().path("narrative");
    }

    private int waitsBefore;

    /** The waits of this test (the recorder lives as long as the class's function). */
    private List<Duration> waits() {
        List<Duration> all = lambda.harness().context().getBean(RecordedWaits.class).waits();
        return all.subList(waitsBefore, all.size());
    }

    @Test
    void thePromptHoldsNoNameEmailPhoneIdOrFreeTextOfTheFixture() throws Exception {
        int before = STUB.requests().size();
        for (String type : List.of("overview", "demographics", "patterns", "conversion")) {
            assertThat(narrative(type).path("status").asText()).as(type).isEqualTo("present");
        }
        List<String> bodies = STUB.requests().subList(before, STUB.requests().size());
        assertThat(bodies).hasSize(4);
        for (String body : bodies) {
            JsonNode request = new ObjectMapper().readTree(body);
            assertThat(request.path("model").asText()).isEqualTo("claude-haiku-4-5");
            assertThat(request.path("messages").get(0).path("content").asText()).contains("\"total\":6");
            for (String personal : PERSONAL) {
                assertThat(body).as("the prompt holds " + personal).doesNotContainIgnoringCase(personal);
            }
        }
        // The domains are shared by 3 customers each, under the 5 that would name one: only "other".
        assertThat(bodies.get(1)).contains("\\\"domain\\\":\\\"other\\\",\\\"customers\\\":6");
    }

    @Test
    void aNarrativeIsWrittenOnceAndTheSameQuestionIsAnsweredFromTheCache() {
        int before = STUB.requests().size();

        JsonNode first = narrative("overview");
        JsonNode second = narrative("overview");

        assertThat(first.path("status").asText()).isEqualTo("present");
        assertThat(first.path("text").asText()).isEqualTo("Bookings held steady.");
        assertThat(second.path("status").asText()).isEqualTo("cached");
        assertThat(second.path("text").asText()).isEqualTo("Bookings held steady.");
        assertThat(STUB.requests().size() - before).as("one call for the same figures").isEqualTo(1);
        assertThat(Rows.count("insight_narratives")).isEqualTo(1);

        // Other figures are another question: a recorded outcome changes the rates.
        Response recorded = lambda.handle(AdminRequests.request("POST", "/api/admin/easyappointments/appointments/918273602/outcome",
                "{\"outcome\":\"no_show\"}", Map.of(), AdminJwts.superuser(NOW)));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);
        assertThat(narrative("overview").path("status").asText()).isEqualTo("present");
        assertThat(STUB.requests().size() - before).isEqualTo(2);
    }

    @Test
    void aRateLimitWaitsForRetryAfterAndAnOverloadBacksOff() {
        STUB.fault(AnthropicStub.Fault.rateLimited(7));
        STUB.fault(AnthropicStub.Fault.overloaded());
        int before = STUB.requests().size();

        JsonNode narrative = narrative("patterns");

        assertThat(narrative.path("status").asText()).isEqualTo("present");
        assertThat(STUB.requests().size() - before).isEqualTo(3);
        assertThat(waits()).as("retry-after, then a backoff").hasSize(2);
        assertThat(waits().get(0)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aSpendLimitIsNotRetriedAndTheFiguresAreStillAnswered() {
        STUB.fault(AnthropicStub.Fault.spendLimit());
        int before = STUB.requests().size();

        JsonNode narrative = narrative("conversion");

        assertThat(narrative.path("status").asText()).isEqualTo("failed");
        assertThat(narrative.path("reason").asText()).contains("spend limit");
        assertThat(narrative.has("text")).isFalse();
        assertThat(STUB.requests().size() - before).as("not retried").isEqualTo(1);
        assertThat(waits()).isEmpty();
        assertThat(Rows.count("insight_narratives")).as("a failure is not cached").isZero();
    }

    @Test
    void aRefusalFailsTheNarrativeNotTheRequest() {
        STUB.fault(AnthropicStub.Fault.error(400, "invalid_request_error", "max_tokens: too large", Map.of()));

        JsonNode narrative = narrative("demographics");

        assertThat(narrative.path("status").asText()).isEqualTo("failed");
        assertThat(narrative.path("reason").asText()).isEqualTo("Anthropic answered 400 (invalid_request_error)");
    }

    @Test
    void aRetryAfterBeyondTheNarrativesTimeIsATimeout() {
        STUB.fault(AnthropicStub.Fault.rateLimited(120));

        JsonNode narrative = narrative("overview");

        assertThat(narrative.path("status").asText()).isEqualTo("failed");
        assertThat(narrative.path("reason").asText()).startsWith("timed out");
        assertThat(waits()).as("no wait that outlasts the budget").isEmpty();
    }
}
