package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.appointments.Outcome;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.AnthropicStub;
import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.Map;

import static com.engarde.signupsync.functions.admineasyappointments.SyncedAppointments.appointment;
import static org.assertj.core.api.Assertions.assertThat;

/** An Anthropic that takes the request and never answers: the narrative times out, the figures are answered. */
@ExpectsWarnings({"narrative of \\w+ not written", "Anthropic .*retry \\d+ of"})
class InsightNarrativeTimeoutTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final AnthropicStub STUB = new AnthropicStub();

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(properties());

    private static Map<String, Object> properties() {
        Map<String, Object> properties = AdminRequests.properties();
        properties.put("anthropic.api.url", STUB.apiUrl());
        properties.put("anthropic.api.key", AnthropicStub.KEY);
        properties.put("test.waits", "recorded");
        // Each attempt is given up on after this, in real time (the mechanism under test; AWS keeps 15 s).
        properties.put("anthropic.request-timeout", "300ms");
        properties.put("anthropic.connect-timeout", "300ms");
        return properties;
    }

    @AfterAll
    static void stop() {
        STUB.close();
    }

    @Test
    void anAnswerThatNeverComesIsATimeout() {
        TestClock.INSTANCE.set(NOW);
        new SyncedAppointments().add(appointment(1, Instant.parse("2026-05-01T09:00:00Z"), Instant.parse("2026-05-02T09:00:00Z"),
                30, "Booked", Outcome.BOOKED, "late@example.com", "USD", "40.00")).write(lambda.harness());
        STUB.hang();

        Response answer = lambda.handle(AdminRequests.request("GET", "/api/admin/easyappointments/insights", null,
                Map.of("date_from", "2026-05-01", "date_to", "2026-05-31"), AdminJwts.superuser(NOW)));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("figures").path("total").asLong()).isEqualTo(1);
        assertThat(answer.json().path("narrative").path("status").asText()).isEqualTo("failed");
        assertThat(answer.json().path("narrative").path("reason").asText()).startsWith("timed out");
        assertThat(STUB.requests()).as("the request reached the stub").isNotEmpty();
    }
}
