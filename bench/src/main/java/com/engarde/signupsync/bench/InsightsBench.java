package com.engarde.signupsync.bench;

import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The booking statistics and each insights type (without a narrative: no Anthropic key is configured) through the
 * admin-easyappointments handler in-process, over N generated appointments (default 100,000) spread over two
 * years, for the default range (the last 30 days) and a year: p50 and p95 (target p50 < 100 ms), against the
 * baseline of reading the same range's rows by plain JDBC (what any computation of the figures must at least read),
 * measured in the same run. Usage: InsightsBench [appointments] [--reps N].
 */
public final class InsightsBench {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final int DAYS = 730;

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        int reps = 30;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--reps")) {
                reps = Integer.parseInt(args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        int appointments = positional.isEmpty() ? 100_000 : Integer.parseInt(positional.get(0));
        TestDatabase db = TestDatabase.get();
        System.out.printf("database: %s; %,d appointments over %d days to %s; %d repetitions; %s%n",
                db.embedded() ? "embedded PostgreSQL 16" : "SIGNUP_SYNC_TEST_DATABASE_URL", appointments, DAYS, NOW,
                reps, LoadAverage.line());
        long started = System.nanoTime();
        load(db, appointments);
        System.out.printf("load: %.1f s%n", (System.nanoTime() - started) / 1e9);

        Map<String, Object> properties = new HashMap<>(AdminRequests.properties());
        properties.remove("test.clock");
        try (LambdaHarness lambda = new LambdaHarness(properties)) {
            for (int days : new int[] {30, 365}) {
                LocalDate to = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
                Map<String, String> range = Map.of("date_from", to.minusDays(days - 1).toString(), "date_to", to.toString());
                List<Double> baseline = baseline(db, to.minusDays(days - 1), to, reps);
                double base = percentile(baseline, 50);
                System.out.printf("baseline, %d days: the range's rows read by plain JDBC p50 %.1f ms p95 %.1f ms%n",
                        days, base, percentile(baseline, 95));
                measure(lambda, "booking-stats", range, reps, base, days);
                for (String type : List.of("overview", "demographics", "patterns", "conversion")) {
                    Map<String, String> params = new HashMap<>(range);
                    params.put("analysis_type", type);
                    measure(lambda, "insights?analysis_type=" + type, params, reps, base, days);
                }
            }
        }
    }

    private static void measure(LambdaHarness lambda, String name, Map<String, String> params, int reps, double base, int days) {
        String path = "/api/admin/easyappointments/" + (name.contains("?") ? name.substring(0, name.indexOf('?')) : name);
        String token = AdminJwts.superuser(Instant.now());
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < reps + 3; i++) {
            long t = System.nanoTime();
            LambdaHarness.Response r = lambda.handle(AdminRequests.request("GET", path, null, params, token));
            double ms = (System.nanoTime() - t) / 1e6;
            if (r.status() != 200) {
                throw new IllegalStateException(name + " answered " + r.status() + ": " + r.body());
            }
            if (name.startsWith("insights") && !r.json().path("narrative").path("status").asText().equals("absent")) {
                throw new IllegalStateException("a narrative was asked for: the figures alone are measured");
            }
            if (i >= 3) {
                times.add(ms);
            }
        }
        double p50 = percentile(times, 50);
        System.out.printf("%s, %d days: p50 %.1f ms p95 %.1f ms (target p50 < 100 ms); %.1fx the baseline; %s%n",
                name, days, p50, percentile(times, 95), p50 / base, LoadAverage.line());
    }

    /** The range's rows over one open connection (the handler's pool keeps its connections open too). */
    private static List<Double> baseline(TestDatabase db, LocalDate from, LocalDate to, int reps) throws Exception {
        List<Double> times = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT appointment_id, booked_at, start_at, end_at, outcome, service_id, service_price, service_currency,
                       provider_id, customer_email, lead_id
                FROM easyappointments_appointments WHERE start_at >= ? AND start_at < ?""")) {
            s.setTimestamp(1, Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
            s.setTimestamp(2, Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            for (int i = 0; i < reps + 3; i++) {
                long t = System.nanoTime();
                long rows = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                if (rows == 0) {
                    throw new IllegalStateException("no appointments in the range");
                }
                if (i >= 3) {
                    times.add((System.nanoTime() - t) / 1e6);
                }
            }
        }
        return times;
    }

    /**
     * Appointments spread evenly over the two years before NOW, one customer per three appointments (a lead each,
     * email domains of very unequal size), 20 services in two currencies, 8 providers, outcomes mixed (a tenth
     * cancelled, a fifth recorded completed, some no-shows, the rest unresolved); a tenth of the customers signed
     * up three days after their first booking.
     */
    private static void load(TestDatabase db, int appointments) {
        db.truncate();
        db.execute("TRUNCATE easyappointments_appointments");
        int customers = Math.max(1, appointments / 3);
        db.execute("INSERT INTO leads (email) SELECT 'c' || g || '@d' || (g % 60) * (g % 7) || '.example' "
                + "FROM generate_series(1, " + customers + ") g");
        db.execute("""
                INSERT INTO easyappointments_appointments (appointment_id, booked_at, start_at, end_at, timezone, status,
                    status_outcome, recorded_outcome, service_id, service_name, service_price, service_currency,
                    service_duration, provider_id, customer_id, lead_id, customer_email, customer_first_name,
                    customer_last_name, customer_phone, synced_at)
                SELECT g, s - make_interval(hours => mod(g * 37, 400)::int), s, s + interval '30 minutes', 'UTC',
                       CASE WHEN mod(g, 10) = 0 THEN 'Cancelled' ELSE 'Booked' END,
                       CASE WHEN mod(g, 10) = 0 THEN 'cancelled' ELSE 'booked' END,
                       CASE WHEN mod(g, 10) = 0 OR s > timestamptz '{now}' - interval '1 day' THEN NULL
                            WHEN mod(g, 5) = 1 THEN 'completed' WHEN mod(g, 20) = 3 THEN 'no_show' END,
                       mod(g, 20) + 1, 'Service ' || (mod(g, 20) + 1), 20 + mod(g, 20),
                       CASE WHEN mod(g, 3) = 0 THEN 'EUR' ELSE 'USD' END,
                       30, mod(g, 8) + 1, l.id, l.id, l.email, 'First', 'Last', '+15550000000', now()
                FROM (SELECT g, timestamptz '{now}' - make_interval(secs => g::double precision / {n} * {days} * 86400) AS s,
                             mod(g, {customers}) + 1 AS lead FROM generate_series(1, {n}) g) x
                JOIN leads l ON l.id = x.lead"""
                .replace("{now}", NOW.toString()).replace("{n}", Integer.toString(appointments))
                .replace("{days}", Integer.toString(DAYS)).replace("{customers}", Integer.toString(customers)));
        db.execute("""
                INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at)
                SELECT lead_id, 'direct_signup', 'signup_completed', 'bench-' || lead_id, min(booked_at) + interval '3 days'
                FROM easyappointments_appointments WHERE mod(lead_id, 10) = 0 GROUP BY lead_id""");
        db.execute("ANALYZE");
    }

    private static double percentile(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }
}
