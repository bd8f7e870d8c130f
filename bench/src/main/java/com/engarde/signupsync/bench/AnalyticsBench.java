package com.engarde.signupsync.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.analytics.FunnelAnalytics;
import com.engarde.signupsync.analytics.FunnelAnalytics.LeadTable;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The funnel routes at a configurable size, against the naive query in the same run: loads the generated data
 * set by COPY, then runs a fixed mix of requests through the funnel-analytics Lambda handler (every group_by,
 * both attributions, ranges from 7 days to 2 years, default and custom steps, both orders, windows,
 * exclusions, trends and lead lists), each warm and repeated; then answers every request again from the raw
 * events at request time, checks that both answers are the same, and prints latencies and their ratio.
 * <p>
 * Usage: bench/run.sh AnalyticsBench [--events 1000000] [--reps 5] [--seed 11] [--naive 18 | --only 7,10] [--reuse]
 * ({@code --naive N}: compare with the naive query on N requests of the mix, spread evenly, since at ten million
 * events each naive answer takes minutes; {@code --only 7,10}: compare those requests of the mix, counted from 0;
 * {@code --reuse}: keep the data a previous run loaded into
 * SIGNUP_SYNC_TEST_DATABASE_URL).
 */
public final class AnalyticsBench {

    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
    private static final String D7 = "date_from=2026-11-24&date_to=2026-11-30";
    private static final String D30 = "date_from=2026-11-01&date_to=2026-11-30";
    private static final String D90 = "date_from=2026-09-02&date_to=2026-11-30";
    private static final String Y1 = "date_from=2025-12-01&date_to=2026-11-30";
    private static final String Y2 = "date_from=2024-12-01&date_to=2026-11-30";
    private static final String CUSTOM = "steps=event_registered|ticket_purchased|appointment_booked,"
            + "event_attended|appointment_completed,signup_completed";

    /** The request mix: path and query. */
    static final List<String[]> MIX = List.of(
            metrics(D7),
            metrics(D30 + "&group_by=source"),
            metrics(D90 + "&group_by=utm_source&attribution=last_touch"),
            metrics(Y1 + "&group_by=utm_medium"),
            metrics(Y2 + "&group_by=utm_campaign"),
            metrics(Y2 + "&group_by=day"),
            metrics(Y1 + "&group_by=week&order=sequential"),
            metrics(Y2 + "&group_by=month&window=14d"),
            metrics(D90 + "&" + CUSTOM + "&order=sequential&window=30d"),
            metrics(D30 + "&" + CUSTOM + "&exclude=ticket_refunded&attribution=last_touch&group_by=source"),
            metrics(Y2 + "&exclude=appointment_cancelled,ticket_refunded"),
            metrics(D7 + "&group_by=day&source_type=zoom"),
            metrics(Y1 + "&utm_campaign=campaign-0&group_by=source&attribution=last_touch&histogram_bin=6h"),
            metrics(Y2 + "&order=sequential&window=90d&group_by=source"),
            new String[] {"/analytics/funnel-trends", Y1 + "&interval=week"},
            new String[] {"/analytics/funnel-trends", Y2 + "&interval=month&window=30d&" + CUSTOM},
            new String[] {"/analytics/funnel-leads", D30 + "&stage=2&status=dropped&limit=100"},
            new String[] {"/analytics/funnel-leads", Y2 + "&stage=5&limit=50&order=sequential"});

    private static String[] metrics(String query) {
        return new String[] {"/analytics/funnel-metrics", query};
    }

    public static void main(String[] args) throws Exception {
        long events = Long.parseLong(option(args, "--events", "1000000"));
        int reps = Integer.parseInt(option(args, "--reps", "5"));
        long seed = Long.parseLong(option(args, "--seed", "11"));
        boolean reuse = Arrays.asList(args).contains("--reuse");
        int naiveCount = Math.min(MIX.size(), Integer.parseInt(option(args, "--naive", String.valueOf(MIX.size()))));
        String only = option(args, "--only", null);
        if (only != null) {
            naiveOnly = Arrays.stream(only.split(",")).map(String::strip).map(Integer::parseInt).toList();
            naiveCount = naiveOnly.size();
        }
        TestDatabase db = TestDatabase.get();
        System.out.printf("database: %s%n", db.embedded() ? "embedded PostgreSQL 16" : "SIGNUP_SYNC_TEST_DATABASE_URL");
        try (Connection c = db.dataSource().getConnection()) {
            if (!reuse || count(c, "funnel_events") == 0) {
                FunnelDataGenerator.Loaded loaded = new FunnelDataGenerator(seed, END).load(c, events);
                System.out.printf("loaded %,d leads and %,d events by COPY in %.1f s; derived rows built in %.1f s%n",
                        loaded.leads(), loaded.events(), loaded.copyMillis() / 1e3, loaded.deriveMillis() / 1e3);
            }
            System.out.printf("data: %,d leads, %,d events, %,d analytics rows%n", count(c, "leads"),
                    count(c, "funnel_events"), count(c, "analytics_leads"));
        }
        // At ten million events one naive answer takes minutes: past the deployed 60 s statement timeout.
        try (LambdaHarness lambda = new LambdaHarness(Map.of("engarde.database.pool-size", 2,
                "engarde.database.statement-timeout", "0s", "engarde.database.socket-timeout", "3600s"))) {
            FunnelAnalytics analytics = lambda.context().getBean(FunnelAnalytics.class);
            ObjectMapper mapper = lambda.context().getBean(ObjectMapper.class);
            List<Long> fast = new ArrayList<>();
            long fastMedianSum = 0;
            long naiveSum = 0;
            double worstRatio = Double.MAX_VALUE;
            int equal = 0;
            int naiveRuns = 0;
            for (int index = 0; index < MIX.size(); index++) {
                String[] request = MIX.get(index);
                String body = call(lambda, request).body();
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < reps; i++) {
                    long t = System.nanoTime();
                    call(lambda, request);
                    mine.add((System.nanoTime() - t) / 1000);
                }
                fast.addAll(mine);
                long fastMedian = percentile(mine, 50);
                fastMedianSum += naiveCount == MIX.size() || checked(index, naiveCount) ? fastMedian : 0;
                if (!checked(index, naiveCount)) {
                    System.out.printf("%-26s %-110s fast p50 %8.1f ms%n", request[0], request[1], fastMedian / 1e3);
                    continue;
                }
                naiveRuns++;
                long t = System.nanoTime();
                Object naive = naive(analytics, request[0], params(request[1]));
                long naiveMicros = (System.nanoTime() - t) / 1000;
                boolean same = mapper.writeValueAsString(naive).equals(body);
                if (!same) {
                    System.out.println("DIFFERENT ANSWERS for " + request[0] + "?" + request[1]);
                    System.out.println("  fast:  " + body);
                    System.out.println("  naive: " + mapper.writeValueAsString(naive));
                } else {
                    equal++;
                }
                naiveSum += naiveMicros;
                worstRatio = Math.min(worstRatio, (double) naiveMicros / fastMedian);
                System.out.printf("%-26s %-110s fast p50 %8.1f ms  naive %9.1f ms  x%6.1f  %s%n", request[0],
                        request[1], fastMedian / 1e3, naiveMicros / 1e3, (double) naiveMicros / fastMedian,
                        same ? "same answer" : "DIFFERENT");
            }
            System.out.printf("%d requests x %d warm repetitions through the handler: p50 %.1f ms, p95 %.1f ms,"
                            + " max %.1f ms (targets p50 < 50 ms, p95 < 1 s)%n", MIX.size(), reps,
                    percentile(fast, 50) / 1e3, percentile(fast, 95) / 1e3, percentile(fast, 100) / 1e3);
            if (naiveRuns == 0) {
                System.out.println("naive query not run (--naive 0): no ratio, no answers compared");
            } else {
                System.out.printf("naive query over raw events on %d of the %d requests: %.1f s; ratio naive/fast (sums"
                                + " of medians) = %.1f, worst single request %.1f (target >= 20); identical answers: %d"
                                + " of %d%n", naiveRuns, MIX.size(), naiveSum / 1e6, (double) naiveSum / fastMedianSum,
                        worstRatio, equal, naiveRuns);
            }
            System.out.println(LoadAverage.line());
        }
        System.exit(0);
    }

    /** The requests (0-based, in the mix's order) to compare with the naive query, from {@code --only}; null: spread. */
    private static List<Integer> naiveOnly;

    /** Whether request {@code index} is one of {@code n} spread evenly over the mix, or one named by {@code --only}. */
    private static boolean checked(int index, int n) {
        if (naiveOnly != null) {
            return naiveOnly.contains(index);
        }
        for (int k = 0; k < n; k++) {
            if ((int) ((long) k * MIX.size() / n) == index) {
                return true;
            }
        }
        return false;
    }

    private static Object naive(FunnelAnalytics analytics, String path, Map<String, List<String>> params) {
        return switch (path) {
            case "/analytics/funnel-metrics" -> analytics.metrics(params, LeadTable.RAW_EVENTS);
            case "/analytics/funnel-trends" -> analytics.trends(params, LeadTable.RAW_EVENTS);
            default -> analytics.leads(params, LeadTable.RAW_EVENTS);
        };
    }

    private static LambdaHarness.Response call(LambdaHarness lambda, String[] request) {
        APIGatewayProxyRequestEvent event = LambdaHarness.request("GET", request[0], null);
        Map<String, List<String>> multi = params(request[1]);
        Map<String, String> single = new LinkedHashMap<>();
        multi.forEach((k, v) -> single.put(k, v.get(0)));
        event.setQueryStringParameters(single);
        event.setMultiValueQueryStringParameters(multi);
        LambdaHarness.Response r = lambda.handle(event);
        if (r.status() != 200) {
            throw new IllegalStateException(request[0] + "?" + request[1] + " answered " + r.status() + ": " + r.body());
        }
        return r;
    }

    private static Map<String, List<String>> params(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), List.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
        }
        return params;
    }

    private static long count(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long percentile(List<Long> values, int p) {
        Long[] sorted = values.toArray(new Long[0]);
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
