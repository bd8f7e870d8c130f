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
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET .../booking-stats over a hand-worked fixture around Berlin's change to summer time (2026-03-29, 02:00
 * CET becomes 03:00 CEST): every figure is worked out in the comments.
 */
class BookingStatsTest {

    private static final Instant NOW = Instant.parse("2026-04-15T12:00:00Z");

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(AdminRequests.properties());

    @BeforeEach
    void data() {
        TestClock.INSTANCE.set(NOW);
        new SyncedAppointments()
                // Sat 28 Mar 09:00 CET; booked 24 h before; past, still Booked: unresolved.
                .add(a(1, "2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "Booked", Outcome.BOOKED, "a@example.com", "50", "USD"))
                // Sun 29 Mar 09:00 CEST (07:00Z: an hour earlier in UTC, the same hour in Berlin); lead 2 h; completed.
                .add(a(2, "2026-03-29T05:00:00Z", "2026-03-29T07:00:00Z", "Attended", Outcome.COMPLETED, "b@example.com", "50", "USD"))
                // Tue 31 Mar 00:30 CEST: after the range in Berlin, inside it in UTC.
                .add(a(3, "2026-03-20T22:30:00Z", "2026-03-30T22:30:00Z", "Attended", Outcome.COMPLETED, "c@example.com", "50", "USD"))
                // Fri 27 Mar 00:30 CET: inside the range in Berlin, before it in UTC; lead 240 h; cancelled.
                .add(a(4, "2026-03-16T23:30:00Z", "2026-03-26T23:30:00Z", "Cancelled", Outcome.CANCELLED, "a@example.com", "50", "USD"))
                // Mon 30 Mar 12:00 CEST; lead 24 h; completed, in euros; d had an appointment before the range.
                .add(a(5, "2026-03-29T10:00:00Z", "2026-03-30T10:00:00Z", "Attended", Outcome.COMPLETED, "d@example.com", "30", "EUR"))
                // Sun 29 Mar 17:00 CEST; lead 24 h; a no-show.
                .add(a(6, "2026-03-28T15:00:00Z", "2026-03-29T15:00:00Z", "Missed", Outcome.NO_SHOW, "b@example.com", "50", "USD"))
                // d's earlier appointment, in February: makes d returning.
                .add(a(7, "2026-01-20T10:00:00Z", "2026-02-01T10:00:00Z", "Attended", Outcome.COMPLETED, "d@example.com", "30", "EUR"))
                .write(lambda.harness());
    }

    private static Appointment a(long id, String booked, String start, String status, Outcome outcome, String email,
                                 String price, String currency) {
        Instant at = Instant.parse(start);
        return new Appointment(id, Instant.parse(booked), at, at.plusSeconds(1800), "Europe/Berlin", status, outcome,
                new Appointment.Service(1L, "Lesson", new BigDecimal(price), currency, 30), 1L,
                new Appointment.Customer(id, email, "First" + id, "Last" + id, "+1555000" + id));
    }

    private static JsonNode stats(Map<String, String> params) {
        Response answer = lambda.handle(AdminRequests.request("GET", "/api/admin/easyappointments/booking-stats", null,
                params, AdminJwts.superuser(NOW)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static Map<String, Long> counts(JsonNode list) {
        Map<String, Long> counts = new LinkedHashMap<>();
        list.forEach(c -> counts.put(c.path("key").asText(), c.path("count").asLong()));
        return counts;
    }

    @Test
    void berlinDaysAndHoursAcrossTheChangeToSummerTime() {
        JsonNode s = stats(Map.of("date_from", "2026-03-27", "date_to", "2026-03-30", "tz", "Europe/Berlin"));

        // In Berlin's days 27-30 March: 1, 2, 4, 5, 6 (3 starts on the 31st there).
        assertThat(s.path("total").asLong()).isEqualTo(5);
        assertThat(counts(s.path("by_outcome"))).isEqualTo(Map.of("cancelled", 1L, "completed", 2L, "no_show", 1L, "unresolved", 1L));
        assertThat(counts(s.path("by_status"))).isEqualTo(Map.of("Attended", 2L, "Booked", 1L, "Cancelled", 1L, "Missed", 1L));
        // ISO weekdays: Fri 27 (4), Sat 28 (1), Sun 29 (2 and 6), Mon 30 (5).
        assertThat(counts(s.path("by_weekday"))).isEqualTo(Map.of("1", 1L, "5", 1L, "6", 1L, "7", 2L));
        // 1 and 2 both at 09:00 on Berlin's clock, though 08:00Z and 07:00Z.
        assertThat(counts(s.path("by_hour"))).isEqualTo(Map.of("0", 1L, "9", 2L, "12", 1L, "17", 1L));
        assertThat(s.path("daily").findValuesAsText("date")).containsExactly("2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30");
        assertThat(s.path("daily").findValues("appointments")).extracting(JsonNode::asLong).containsExactly(1L, 1L, 2L, 1L);
        assertThat(s.path("daily").get(2).path("completed").asLong()).isEqualTo(1);
        assertThat(s.path("daily").get(2).path("no_show").asLong()).isEqualTo(1);
        assertThat(s.path("daily").get(0).path("cancelled").asLong()).isEqualTo(1);
    }

    @Test
    void utcIsTheDefaultAndMovesTheEdgesAndTheHours() {
        JsonNode s = stats(Map.of("date_from", "2026-03-27", "date_to", "2026-03-30"));

        // In UTC's days: 1, 2, 3, 5, 6 (4 started on the 26th in UTC).
        assertThat(s.path("tz").asText()).isEqualTo("UTC");
        assertThat(s.path("total").asLong()).isEqualTo(5);
        assertThat(counts(s.path("by_hour"))).isEqualTo(Map.of("7", 1L, "8", 1L, "10", 1L, "15", 1L, "22", 1L));
    }

    @Test
    void customersRatesLeadTimeAndRevenue() {
        JsonNode s = stats(Map.of("date_from", "2026-03-27", "date_to", "2026-03-30", "tz", "Europe/Berlin"));

        // a, b and d; d had appointment 7 before the range.
        assertThat(s.path("customers").path("unique").asLong()).isEqualTo(3);
        assertThat(s.path("customers").path("new_customers").asLong()).isEqualTo(2);
        assertThat(s.path("customers").path("returning").asLong()).isEqualTo(1);
        // Resolved: 2 completed + 1 no-show + 1 cancelled = 4; the unresolved one is left out.
        assertThat(s.path("rates").path("resolved").asLong()).isEqualTo(4);
        assertThat(s.path("rates").path("completion").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(s.path("rates").path("no_show").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(s.path("rates").path("cancellation").decimalValue()).isEqualByComparingTo("0.25");
        // Lead times 2, 24, 24, 24, 240 h: median 24; p90 at 0.9 x 4 = 3.6, 24 + 0.6 x (240 - 24) = 153.6.
        assertThat(s.path("lead_time").path("median_hours").decimalValue()).isEqualByComparingTo("24");
        assertThat(s.path("lead_time").path("p90_hours").decimalValue()).isEqualByComparingTo("153.6");
        // Completed: 2 (50 USD) and 5 (30 EUR); 3 and 7 are outside the range.
        assertThat(s.path("revenue").findValuesAsText("currency")).containsExactly("EUR", "USD");
        assertThat(s.path("revenue").get(0).path("amount").decimalValue()).isEqualByComparingTo("30");
        assertThat(s.path("revenue").get(1).path("amount").decimalValue()).isEqualByComparingTo("50");
    }

    @Test
    void theDefaultIsTheLastThirtyDaysAndAnEmptyRangeHasNoRates() {
        JsonNode s = stats(Map.of());

        // 2026-03-17 to 2026-04-15 (UTC): every appointment but 7 (February).
        assertThat(s.path("date_from").asText()).isEqualTo("2026-03-17");
        assertThat(s.path("date_to").asText()).isEqualTo("2026-04-15");
        assertThat(s.path("total").asLong()).isEqualTo(6);
        assertThat(s.path("daily").size()).isEqualTo(30);

        JsonNode empty = stats(Map.of("date_from", "2025-01-01", "date_to", "2025-01-02"));
        assertThat(empty.path("total").asLong()).isZero();
        assertThat(empty.path("rates").path("completion").isNull() || empty.path("rates").path("completion").isMissingNode()).isTrue();
        assertThat(empty.path("daily").size()).isEqualTo(2);
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        Map<String, Map<String, String>> bad = Map.of(
                "tz", Map.of("tz", "Mars/Olympus"),
                "date_to", Map.of("date_from", "2026-03-02", "date_to", "2026-03-01"),
                "date_from", Map.of("date_from", "2020-01-01", "date_to", "2026-01-01"));
        int checked = 0;
        for (Map.Entry<String, Map<String, String>> e : bad.entrySet()) {
            Response answer = lambda.handle(AdminRequests.request("GET", "/api/admin/easyappointments/booking-stats", null,
                    e.getValue(), AdminJwts.superuser(NOW)));
            assertThat(answer.status()).as(e.getKey()).isEqualTo(400);
            assertThat(answer.json().path("field").asText()).as(e.getKey()).isEqualTo(e.getKey());
            checked++;
        }
        assertThat(checked).isEqualTo(3);
    }
}
