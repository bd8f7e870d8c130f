package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.appointments.Appointment;
import com.engarde.signupsync.appointments.Outcome;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET .../appointments: every filter, stable cursor pages and the total count. */
class AppointmentListTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(AdminRequests.properties());

    @BeforeEach
    void data() {
        TestClock.INSTANCE.set(NOW);
        new SyncedAppointments()
                .add(appointment(1, "2026-06-01T09:00:00Z", "Booked", Outcome.BOOKED, 1, 1, "ann@example.com"))      // unresolved
                .add(appointment(2, "2026-06-02T09:00:00Z", "Cancelled", Outcome.CANCELLED, 1, 2, "bob@example.com"))
                .add(appointment(3, "2026-06-03T09:00:00Z", "Attended", Outcome.COMPLETED, 2, 1, "ann@example.com"))
                .add(appointment(4, "2026-06-03T09:00:00Z", "Confirmed", Outcome.BOOKED, 2, 2, "cy@example.com"))   // unresolved
                .add(appointment(5, "2026-06-20T09:00:00Z", "Booked", Outcome.BOOKED, 1, 1, "dee@example.com"))     // upcoming
                .write(lambda.harness());
    }

    private static Appointment appointment(long id, String start, String status, Outcome outcome, long service,
                                           long provider, String email) {
        Instant at = Instant.parse(start);
        return new Appointment(id, at.minusSeconds(5 * 86400), at, at.plusSeconds(1800), "UTC", status, outcome,
                new Appointment.Service(service, "Service " + service, new BigDecimal("25.00"), "USD", 30), provider,
                new Appointment.Customer(id, email, "First" + id, "Last" + id, "+1555000" + id));
    }

    private static Response get(Map<String, String> params) {
        return lambda.handle(AdminRequests.request("GET", "/api/admin/easyappointments/appointments", null, params,
                AdminJwts.superuser(NOW)));
    }

    private static List<Long> ids(Map<String, String> params) {
        Response answer = get(params);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        answer.json().path("appointments").forEach(a -> ids.add(a.path("id").asLong()));
        assertThat(answer.json().path("total_count").asLong()).as("the count of the filtered rows").isEqualTo(ids.size());
        return ids;
    }

    @Test
    void theListIsNewestStartFirstWithWhatTheViewsNeed() {
        JsonNode answer = get(Map.of()).json();

        assertThat(answer.path("total_count").asLong()).isEqualTo(5);
        assertThat(answer.path("next_cursor").isNull() || answer.path("next_cursor").isMissingNode()).isTrue();
        List<Long> ids = new ArrayList<>();
        answer.path("appointments").forEach(a -> ids.add(a.path("id").asLong()));
        assertThat(ids).as("ties in start broken by id, descending").containsExactly(5L, 4L, 3L, 2L, 1L);
        JsonNode first = answer.path("appointments").get(4);
        assertThat(first.path("outcome").asText()).isEqualTo("unresolved");
        assertThat(first.path("start").asText()).isEqualTo("2026-06-01T09:00:00Z");
        assertThat(first.path("service").path("price").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(first.path("service").path("currency").asText()).isEqualTo("USD");
        assertThat(first.path("customer").path("email").asText()).isEqualTo("ann@example.com");
        assertThat(answer.path("appointments").get(0).path("outcome").asText()).isEqualTo("booked");
    }

    @Test
    void everyFilterNarrowsTheListAndItsCount() {
        assertThat(ids(Map.of("date_from", "2026-06-02", "date_to", "2026-06-03"))).containsExactly(4L, 3L, 2L);
        assertThat(ids(Map.of("status", "Booked"))).containsExactly(5L, 1L);
        assertThat(ids(Map.of("outcome", "unresolved"))).containsExactly(4L, 1L);
        assertThat(ids(Map.of("outcome", "booked"))).containsExactly(5L);
        assertThat(ids(Map.of("outcome", "completed"))).containsExactly(3L);
        assertThat(ids(Map.of("outcome", "cancelled"))).containsExactly(2L);
        assertThat(ids(Map.of("outcome", "no_show"))).isEmpty();
        assertThat(ids(Map.of("service", "2"))).containsExactly(4L, 3L);
        assertThat(ids(Map.of("provider", "2"))).containsExactly(4L, 2L);
        assertThat(ids(Map.of("customer_email", " ANN@Example.com"))).containsExactly(3L, 1L);
        assertThat(ids(Map.of("customer_email", "ann@example.com", "service", "1"))).containsExactly(1L);
    }

    @Test
    void cursorPagesCoverEveryRowOnceAndEachCarriesTheTotal() {
        List<Long> seen = new ArrayList<>();
        Map<String, String> params = new HashMap<>(Map.of("page_size", "2"));
        int pages = 0;
        while (true) {
            JsonNode page = get(params).json();
            pages++;
            assertThat(page.path("total_count").asLong()).as("every row now, the later booking from page 2 on")
                    .isEqualTo(pages == 1 ? 5 : 6);
            page.path("appointments").forEach(a -> seen.add(a.path("id").asLong()));
            if (page.path("next_cursor").isNull() || page.path("next_cursor").isMissingNode()) {
                break;
            }
            params.put("cursor", page.path("next_cursor").asText());
            // A booking made while paging, newer than every row shown: it does not shift the pages.
            if (pages == 1) {
                new SyncedAppointments().add(appointment(6, "2026-07-01T09:00:00Z", "Booked", Outcome.BOOKED, 1, 1,
                        "eve@example.com")).write(lambda.harness());
            }
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(5L, 4L, 3L, 2L, 1L);
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        Map<String, Map<String, String>> bad = Map.of(
                "outcome", Map.of("outcome", "attended"),
                "cursor", Map.of("cursor", "not-a-cursor"),
                "page_size", Map.of("page_size", "0"),
                "date_to", Map.of("date_from", "2026-06-03", "date_to", "2026-06-02"),
                "service", Map.of("service", "x"),
                "customer_email", Map.of("customer_email", "nobody"));
        int checked = 0;
        for (Map.Entry<String, Map<String, String>> e : bad.entrySet()) {
            Response answer = get(e.getValue());
            assertThat(answer.status()).as(e.getKey()).isEqualTo(400);
            assertThat(answer.json().path("field").asText()).as(e.getKey()).isEqualTo(e.getKey());
            checked++;
        }
        assertThat(checked).isEqualTo(6);
    }
}
