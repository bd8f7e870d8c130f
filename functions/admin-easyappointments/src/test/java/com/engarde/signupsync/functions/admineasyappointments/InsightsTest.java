package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.appointments.Appointment;
import com.engarde.signupsync.appointments.Outcome;
import com.engarde.signupsync.funnel.Conversions;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET .../insights: each analysis type's figures over a hand-worked fixture, the answers worked out in the comments. */
class InsightsTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(AdminRequests.properties());

    @BeforeEach
    void now() {
        TestClock.INSTANCE.set(NOW);
    }

    private static Appointment a(long id, String booked, String start, String status, Outcome outcome, long service,
                                 String email, String price, String currency) {
        Instant at = Instant.parse(start);
        return new Appointment(id, Instant.parse(booked), at, at.plusSeconds(1800), "UTC", status, outcome,
                new Appointment.Service(service, "Service " + service, new BigDecimal(price), currency, 30), 1L,
                new Appointment.Customer(id, email, "First" + id, "Last" + id, "+1555000" + id));
    }

    private static Response get(Map<String, String> params) {
        return lambda.handle(AdminRequests.request("GET", "/api/admin/easyappointments/insights", null, params,
                AdminJwts.superuser(NOW)));
    }

    private static JsonNode insights(String type, String from, String to) {
        Response answer = get(Map.of("analysis_type", type, "date_from", from, "date_to", to));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.path("analysis_type").asText()).isEqualTo(type);
        assertThat(json.path("narrative").path("status").asText()).as("no Anthropic key here").isEqualTo("absent");
        assertThat(json.path("narrative").has("text")).isFalse();
        return json.path("figures");
    }

    private static Map<String, Long> pairs(JsonNode list, String key, String value) {
        Map<String, Long> pairs = new LinkedHashMap<>();
        list.forEach(c -> pairs.put(c.path(key).asText(), c.path(value).asLong()));
        return pairs;
    }

    @Test
    void demographicsNameADomainOnlyWhenFiveCustomersShareIt() {
        SyncedAppointments data = new SyncedAppointments();
        long id = 1;
        // bigco.com: 5 customers (b1 three appointments, b2 two, b3-b5 one each); small.org: 4 customers (s1 four
        // appointments); solo.net: 1 customer (o1), who also booked in April, so is returning.
        int[] perCustomer = {3, 2, 1, 1, 1};
        for (int c = 0; c < 5; c++) {
            for (int n = 0; n < perCustomer[c]; n++) {
                data.add(a(id++, "2026-05-01T08:00:00Z", "2026-05-0" + (n + 2) + "T09:00:00Z", "Booked", Outcome.BOOKED, 1,
                        "b" + (c + 1) + "@bigco.com", "10", "USD"));
            }
        }
        int[] small = {4, 1, 1, 1};
        for (int c = 0; c < 4; c++) {
            for (int n = 0; n < small[c]; n++) {
                data.add(a(id++, "2026-05-01T08:00:00Z", "2026-05-1" + n + "T09:00:00Z", "Booked", Outcome.BOOKED, 1,
                        "s" + (c + 1) + "@small.org", "10", "USD"));
            }
        }
        data.add(a(id++, "2026-05-01T08:00:00Z", "2026-05-20T09:00:00Z", "Booked", Outcome.BOOKED, 1, "o1@solo.net", "10", "USD"));
        data.add(a(id, "2026-04-01T08:00:00Z", "2026-04-20T09:00:00Z", "Booked", Outcome.BOOKED, 1, "o1@solo.net", "10", "USD"));
        data.write(lambda.harness());

        JsonNode f = insights("demographics", "2026-05-01", "2026-05-31");

        // 3 + 2 + 1 + 1 + 1 + 4 + 1 + 1 + 1 + 1 = 16 in May; the April one is outside.
        assertThat(f.path("total").asLong()).isEqualTo(16);
        // 10 customers; o1 had April's appointment.
        assertThat(f.path("customers").path("unique").asLong()).isEqualTo(10);
        assertThat(f.path("customers").path("new_customers").asLong()).isEqualTo(9);
        assertThat(f.path("customers").path("returning").asLong()).isEqualTo(1);
        // bigco.com by name (5 customers); small.org (4) and solo.net (1) only as other: 5, listed last.
        assertThat(pairs(f.path("email_domains"), "domain", "customers")).containsExactly(
                Map.entry("bigco.com", 5L), Map.entry("other", 5L));
        // Appointments per customer: 1 for b3-b5, s2-s4 and o1 (7); 2 for b2; 3 for b1; 4 for s1.
        assertThat(pairs(f.path("booking_frequency"), "appointments", "customers")).containsExactly(
                Map.entry("1", 7L), Map.entry("2", 1L), Map.entry("3", 1L), Map.entry("4+", 1L));
        assertThat(f.has("funnel")).as("another type's section").isFalse();
        assertThat(f.has("by_hour")).isFalse();
    }

    @Test
    void patternsBusiestDaysAndHoursLeadTimeAndPopularServices() {
        new SyncedAppointments()
                // Mon 4 May 09:00, booked 24 h before, service 11.
                .add(a(1, "2026-05-03T09:00:00Z", "2026-05-04T09:00:00Z", "Booked", Outcome.BOOKED, 11, "p1@example.com", "10", "USD"))
                // Mon 4 May 14:00, 2 h, service 11.
                .add(a(2, "2026-05-04T12:00:00Z", "2026-05-04T14:00:00Z", "Booked", Outcome.BOOKED, 11, "p2@example.com", "10", "USD"))
                // Wed 6 May 09:00, 120 h, service 12.
                .add(a(3, "2026-05-01T09:00:00Z", "2026-05-06T09:00:00Z", "Booked", Outcome.BOOKED, 12, "p3@example.com", "10", "USD"))
                // Fri 8 May 09:00, 12 h, service 11.
                .add(a(4, "2026-05-07T21:00:00Z", "2026-05-08T09:00:00Z", "Booked", Outcome.BOOKED, 11, "p4@example.com", "10", "USD"))
                // Sun 10 May 18:00, 24 h, service 13.
                .add(a(5, "2026-05-09T18:00:00Z", "2026-05-10T18:00:00Z", "Booked", Outcome.BOOKED, 13, "p5@example.com", "10", "USD"))
                .write(lambda.harness());

        JsonNode f = insights("patterns", "2026-05-04", "2026-05-10");

        assertThat(f.path("total").asLong()).isEqualTo(5);
        assertThat(pairs(f.path("by_weekday"), "key", "count")).containsExactly(
                Map.entry("1", 2L), Map.entry("3", 1L), Map.entry("5", 1L), Map.entry("7", 1L));
        assertThat(f.path("busiest_weekday").path("key").asText()).isEqualTo("1");
        assertThat(f.path("busiest_weekday").path("count").asLong()).isEqualTo(2);
        assertThat(pairs(f.path("by_hour"), "key", "count")).containsExactly(
                Map.entry("9", 3L), Map.entry("14", 1L), Map.entry("18", 1L));
        assertThat(f.path("busiest_hour").path("key").asText()).isEqualTo("9");
        // Lead times 2, 12, 24, 24, 120 h: median 24; p90 at 0.9 x 4 = 3.6: 24 + 0.6 x (120 - 24) = 81.6.
        assertThat(f.path("lead_time").path("median_hours").decimalValue()).isEqualByComparingTo("24");
        assertThat(f.path("lead_time").path("p90_hours").decimalValue()).isEqualByComparingTo("81.6");
        // Service 11 three times, then 12 and 13 once each (ties by id).
        assertThat(f.path("popular_services").findValuesAsText("service_id")).containsExactly("11", "12", "13");
        assertThat(f.path("popular_services").get(0).path("count").asLong()).isEqualTo(3);
    }

    /**
     * The funnel tie-in: ann, ben, cat and dan booked in May (ann twice). ann signed up 2 days after her first
     * booking and converted after 4; ben signed up after 4; cat had signed up before booking (not counted) and
     * converted after 10; dan did neither; eve signed up without booking (not a booker).
     */
    @Test
    void conversionRatesRevenueAndTheFunnelTieIn() {
        new SyncedAppointments()
                .add(a(1, "2026-05-01T10:00:00Z", "2026-05-03T10:00:00Z", "Attended", Outcome.COMPLETED, 1, "ann@shop.example", "40", "USD"))
                .add(a(2, "2026-05-02T10:00:00Z", "2026-05-05T10:00:00Z", "Missed", Outcome.NO_SHOW, 1, "ben@shop.example", "40", "USD"))
                .add(a(3, "2026-05-03T10:00:00Z", "2026-05-06T10:00:00Z", "Cancelled", Outcome.CANCELLED, 1, "cat@shop.example", "40", "USD"))
                .add(a(4, "2026-05-04T10:00:00Z", "2026-05-07T10:00:00Z", "Attended", Outcome.COMPLETED, 2, "dan@shop.example", "30", "EUR"))
                // ann's second booking: past and still Booked, so unresolved.
                .add(a(5, "2026-05-10T10:00:00Z", "2026-05-12T10:00:00Z", "Booked", Outcome.BOOKED, 1, "ann@shop.example", "40", "USD"))
                .write(lambda.harness());
        signup("ann@shop.example", "2026-05-03T10:00:00Z");
        signup("ben@shop.example", "2026-05-06T10:00:00Z");
        signup("cat@shop.example", "2026-04-20T10:00:00Z");
        signup("eve@shop.example", "2026-05-08T10:00:00Z");
        // The conversion names ann as the backend spells her; the funnel's one lead per mailbox matches her.
        convert(" ANN@Shop.Example ", "2026-05-05T10:00:00Z");
        convert("cat@shop.example", "2026-05-13T10:00:00Z");

        JsonNode f = insights("conversion", "2026-05-01", "2026-05-31");

        assertThat(f.path("total").asLong()).isEqualTo(5);
        // Resolved: 2 completed, 1 no-show, 1 cancelled; the unresolved one is left out.
        assertThat(f.path("rates").path("resolved").asLong()).isEqualTo(4);
        assertThat(f.path("rates").path("completion").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(f.path("rates").path("no_show").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(f.path("rates").path("cancellation").decimalValue()).isEqualByComparingTo("0.25");
        // Completed: 1 (40 USD) and 4 (30 EUR).
        assertThat(f.path("revenue").findValuesAsText("currency")).containsExactly("EUR", "USD");
        assertThat(f.path("revenue").get(0).path("amount").decimalValue()).isEqualByComparingTo("30");
        assertThat(f.path("revenue").get(1).path("amount").decimalValue()).isEqualByComparingTo("40");
        JsonNode funnel = f.path("funnel");
        assertThat(funnel.path("bookers").asLong()).isEqualTo(4);
        // Signed up after booking: ann (2 days) and ben (4 days): median 3.
        assertThat(funnel.path("signed_up").asLong()).isEqualTo(2);
        assertThat(funnel.path("median_days_to_signup").decimalValue()).isEqualByComparingTo("3");
        // Converted after booking: ann (4 days) and cat (10 days): median 7.
        assertThat(funnel.path("converted").asLong()).isEqualTo(2);
        assertThat(funnel.path("median_days_to_conversion").decimalValue()).isEqualByComparingTo("7");

        // A recorded no-show of ann's first appointment moves a completion to the no-shows: 1 completed, 2 no-shows.
        Response recorded = lambda.handle(AdminRequests.request("POST", "/api/admin/easyappointments/appointments/1/outcome",
                "{\"outcome\":\"no_show\"}", Map.of(), AdminJwts.superuser(NOW)));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);
        JsonNode after = insights("conversion", "2026-05-01", "2026-05-31");
        assertThat(after.path("rates").path("completion").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(after.path("rates").path("no_show").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(after.path("revenue").findValuesAsText("currency")).containsExactly("EUR");
    }

    @Test
    void overviewIsTheDefaultAndAnEmptyRangeHasNoRates() {
        Response answer = get(Map.of("date_from", "2025-01-01", "date_to", "2025-01-02"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("analysis_type").asText()).isEqualTo("overview");
        JsonNode f = answer.json().path("figures");
        assertThat(f.path("total").asLong()).isZero();
        assertThat(f.path("customers").path("unique").asLong()).isZero();
        assertThat(f.path("rates").path("resolved").asLong()).isZero();
        assertThat(f.path("rates").has("completion")).isFalse();
        assertThat(f.path("revenue").isArray()).isTrue();
        assertThat(f.path("revenue").size()).isZero();
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        Map<String, Map<String, String>> bad = Map.of(
                "analysis_type", Map.of("analysis_type", "everything"),
                "date_from", Map.of("analysis_type", "patterns", "date_from", "yesterday"),
                "date_to", Map.of("date_from", "2026-03-02", "date_to", "2026-03-01"),
                "tz", Map.of("tz", "Mars/Olympus"));
        int checked = 0;
        for (Map.Entry<String, Map<String, String>> e : bad.entrySet()) {
            Response answer = get(e.getValue());
            assertThat(answer.status()).as(e.getKey()).isEqualTo(400);
            assertThat(answer.json().path("error").asText()).as(e.getKey()).isNotBlank();
            assertThat(answer.json().path("field").asText()).as(e.getKey()).isEqualTo(e.getKey());
            checked++;
        }
        assertThat(checked).isEqualTo(4);
    }

    private static void signup(String email, String at) {
        lambda.harness().context().getBean(FunnelEventWriter.class).write(List.of(new NewFunnelEvent(SourceType.DIRECT_SIGNUP,
                EventType.SIGNUP_COMPLETED, "signup-" + email.strip().toLowerCase(), Instant.parse(at),
                new Person(email, null, null, null), Utm.NONE, JsonNodeFactory.instance.objectNode())));
    }

    private static void convert(String email, String at) {
        lambda.harness().context().getBean(Conversions.class).convert(JsonNodeFactory.instance.objectNode().put("email", email)
                .put("platform_user_id", "user-" + email.strip().toLowerCase()).put("converted_at", at));
    }
}
