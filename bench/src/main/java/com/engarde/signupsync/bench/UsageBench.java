package com.engarde.signupsync.bench;

import com.engarde.signupsync.platform.UsageQuery;
import com.engarde.signupsync.platform.UsageRange;
import com.engarde.signupsync.platform.UsageReports;
import com.engarde.signupsync.platform.UsageRollups;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.io.OutputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The usage targets, each against a baseline measured in the same run, over a generated data set: N usage
 * records (default 20,000,000) over 2 years and T tenants (default 5,000; 20 users and 2 brands each),
 * loaded by COPY and rolled up. Usage: UsageBench [records] [tenants] [--reuse [--keep-rollups]]; {@code --reuse}
 * keeps the records a previous run loaded into SIGNUP_SYNC_TEST_DATABASE_URL (the load checks three foreign keys
 * per record and takes about 8 minutes at 20 million here) and only rolls them up again (about 46 s a month);
 * {@code --keep-rollups} keeps that run's rollups too and runs only the measured phases; {@code --ingest-only} runs
 * the ingest phase alone (three rounds, each handler/COPY ratio, their median).
 * <ol>
 *   <li>daily and monthly views: p50 of a page through the admin-platform-usage handler in-process, against
 *       the same page aggregated from the raw records by one SQL statement;</li>
 *   <li>the CSV export: rows/s written and peak heap growth, against COPY TO STDOUT of the rollup rows;</li>
 *   <li>ingestion: 1,000-record batches through the usage-ingest handler against COPY of the same rows.</li>
 * </ol>
 */
public final class UsageBench {

    private static final LocalDate START = LocalDate.parse("2024-06-01");
    private static final int DAYS = 730;
    private static final Instant NOW = START.plusDays(DAYS - 1).atTime(12, 0).toInstant(ZoneOffset.UTC);
    private static final String[][] MODELS = {{"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"},
            {"anthropic", "claude-sonnet"}, {"anthropic", "claude-haiku"}, {"google", "gemini-pro"}, {"google", "bigquery"}};
    private static final String COPY_METRICS = "COPY usage_metrics (idempotency_key, occurred_at, tenant_id, user_id,"
            + " brand_id, provider, model, input_tokens, output_tokens, cost_usd, bigquery_storage_gb, error_count)"
            + " FROM STDIN (FORMAT csv)";

    public static void main(String[] args) throws Exception {
        List<String> positional = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        boolean reuse = java.util.Arrays.asList(args).contains("--reuse");
        long records = positional.size() > 0 ? Long.parseLong(positional.get(0)) : 20_000_000L;
        int tenants = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 5_000;
        TestDatabase db = TestDatabase.get();
        System.out.printf("database: %s; %,d records, %,d tenants, %d days from %s%n",
                db.embedded() ? "embedded PostgreSQL 16" : "SIGNUP_SYNC_TEST_DATABASE_URL", records, tenants, DAYS, START);
        long stored = reuse ? count(db, "SELECT count(*) FROM usage_metrics WHERE idempotency_key LIKE 'gen-%'") : 0;
        // With --reuse: an earlier run's rollups are kept too, and only the measured phases run again.
        boolean keepRollups = stored == records && java.util.Arrays.asList(args).contains("--keep-rollups")
                && count(db, "SELECT count(*) FROM usage_tenant_totals") > 0;
        if (stored == records) {
            // What an earlier run's ingest rounds added is not part of the generated set.
            db.execute("DELETE FROM usage_metrics WHERE idempotency_key NOT LIKE 'gen-%'");
            if (!keepRollups) {
                db.execute("TRUNCATE admin_usage_reports, tenant_health_metrics, usage_user_totals, usage_tenant_totals,"
                        + " usage_dirty_days, usage_user_running, usage_tenant_running, usage_running_keys,"
                        + " usage_storage_levels, usage_default_pages, usage_default_totals");
                db.execute("ANALYZE");
            }
            System.out.printf("load: %,d records kept from an earlier run (--reuse)%s; load %s%n", records,
                    keepRollups ? ", and their rollups (--keep-rollups)" : "", load());
        } else {
            db.truncate();
            long t0 = System.nanoTime();
            loadIdentities(db, tenants);
            copyRecords(db, "gen", 0, records, tenants);
            db.execute("ANALYZE");
            System.out.printf("load: %,d records by COPY in %.0f s; load %s%n", records, seconds(t0), load());
        }

        Map<String, Object> properties = new HashMap<>(AdminJwts.PROPERTIES);
        // The service's clock stands on the last day of the data: the default ranges (the last 30 days, the last
        // 12 months), which the rollup ranks ahead, are the data's last ones.
        properties.put("test.clock", "mutable");
        TestClock.INSTANCE.set(NOW);
        properties.put("engarde.database.pool-size", 2);
        // The bench rolls two years up in one go; a deployed rollup does a day (or a caller's range) at a time.
        properties.put("engarde.database.statement-timeout", "0s");
        properties.put("engarde.database.socket-timeout", "3600s");
        try (LambdaHarness lambda = new LambdaHarness(properties)) {
            if (!keepRollups) {
                rollUp(lambda, db);
            }
            if (!java.util.Arrays.asList(args).contains("--ingest-only")) {
                views(lambda, db);
                export(lambda, db);
            }
            ingest(lambda, db, tenants);
        }
        System.exit(0);
    }

    private static io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction handler;

    /**
     * A request through the functions' API Gateway handler as AWS runs it: LambdaHarness#handle would also log
     * each exchange for the tests' API document check (a JSON copy of every 1,000-record body), which AWS does not.
     */
    private static LambdaHarness.Response handle(LambdaHarness lambda,
                                                 com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent event) {
        if (handler == null) {
            handler = new io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction(lambda.context());
        }
        var answer = handler.handleRequest(event, null);
        return new LambdaHarness.Response(answer.getStatusCode(), answer.getBody(), answer.getHeaders());
    }

    /** Every month of the two years, as the daily runs would have left them. */
    private static void rollUp(LambdaHarness lambda, TestDatabase db) throws SQLException {
        long t1 = System.nanoTime();
        UsageRollups rollups = lambda.context().getBean(UsageRollups.class);
        for (LocalDate month = START.withDayOfMonth(1); month.isBefore(START.plusDays(DAYS)); month = month.plusMonths(1)) {
            rollups.roll(new UsageRange(month, month.plusMonths(1).minusDays(1)));
            // What autovacuum does between two daily runs: a month of rollup rows is planned from statistics
            // that know them (the first months would otherwise be planned as an empty table).
            db.execute("ANALYZE admin_usage_reports");
            System.out.printf("    rolled up %s in %.0f s so far; load %s%n", month, seconds(t1), load());
        }
        db.execute("TRUNCATE usage_dirty_days");
        // What autovacuum does in a while: the visibility map lets the views scan the totals index only.
        db.execute("VACUUM ANALYZE");
        System.out.printf("rollup: %d days in %.0f s; admin_usage_reports rows: %,d; usage_user_totals rows: %,d;"
                        + " usage_tenant_totals rows: %,d%n", DAYS, seconds(t1),
                count(db, "SELECT count(*) FROM admin_usage_reports"), count(db, "SELECT count(*) FROM usage_user_totals"),
                count(db, "SELECT count(*) FROM usage_tenant_totals"));
    }

    private static void views(LambdaHarness lambda, TestDatabase db) throws SQLException {
        String token = AdminJwts.superuser(NOW);
        // What the admin frontend opens: view_mode alone, page 1 (the default range as of the clock's day).
        for (int round = 1; round <= 3; round++) {
            for (String mode : new String[]{"daily", "monthly"}) {
                for (String view : new String[]{"users", "tenants"}) {
                    List<Double> api = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        long a = System.nanoTime();
                        LambdaHarness.Response r = handle(lambda, AdminRequests.request("GET", "/api/admin/platform/usage/"
                                + view, null, Map.of("view_mode", mode), token));
                        double ms = (System.nanoTime() - a) / 1e6;
                        if (r.status() != 200) {
                            throw new IllegalStateException(r.body());
                        }
                        if (i >= 5) {
                            api.add(ms);
                        }
                    }
                    LocalDate today = NOW.atOffset(ZoneOffset.UTC).toLocalDate();
                    LocalDate from = mode.equals("daily") ? today.minusDays(29) : today.withDayOfMonth(1).minusMonths(11);
                    long b = System.nanoTime();
                    rawPage(db, view, from, today.plusDays(1), 1);
                    double rawMs = (System.nanoTime() - b) / 1e6;
                    System.out.printf("(0) round %d, default %s %s page (view_mode alone, %s): p50 %.1f ms p95 %.1f ms"
                                    + " (target p50 < 50 ms); the same page from the raw records %.1f ms; load %s%n", round,
                            mode, view, mode.equals("daily") ? "the last 30 days" : "the last 12 months",
                            percentile(api, 50), percentile(api, 95), rawMs, load());
                }
            }
        }
        for (int round = 1; round <= 3; round++) {
            ranges(lambda, db, token, round);
        }
    }

    /** Pages of random ranges (not the defaults), each against the same page aggregated from the raw records. */
    private static void ranges(LambdaHarness lambda, TestDatabase db, String token, int round) throws SQLException {
        Random random = new Random(7 + round);
        // "daily" ranges of 30 days, "daily-any" of 1 to 730 days, "monthly" of 12 months.
        for (String shape : new String[]{"daily", "daily-any", "monthly"}) {
            String mode = shape.equals("monthly") ? "monthly" : "daily";
            for (String view : new String[]{"users", "tenants"}) {
                List<Double> api = new ArrayList<>();
                List<Double> raw = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    LocalDate from;
                    LocalDate to;
                    if (shape.equals("daily-any")) {
                        int days = 1 + random.nextInt(DAYS);
                        from = START.plusDays(random.nextInt(DAYS - days + 1));
                        to = from.plusDays(days - 1);
                    } else {
                        from = START.plusDays(random.nextInt(DAYS - 400));
                        to = mode.equals("daily") ? from.plusDays(29) : from.plusMonths(11);
                    }
                    int page = 1 + random.nextInt(5);
                    Map<String, String> params = Map.of("view_mode", mode, "date_from", from.toString(),
                            "date_to", to.toString(), "page", String.valueOf(page), "page_size", "50");
                    long a = System.nanoTime();
                    LambdaHarness.Response r = handle(lambda, AdminRequests.request("GET", "/api/admin/platform/usage/" + view, null, params, token));
                    double ms = (System.nanoTime() - a) / 1e6;
                    if (r.status() != 200) {
                        throw new IllegalStateException(r.body());
                    }
                    if (i >= 5) {
                        api.add(ms);
                    }
                    // The raw baseline (seconds a page over months of records) on every fourth measured request.
                    if (i >= 5 && i % 4 == 1) {
                        long b = System.nanoTime();
                        rawPage(db, view, mode.equals("daily") ? from : from.withDayOfMonth(1),
                                mode.equals("daily") ? to.plusDays(1) : to.withDayOfMonth(1).plusMonths(1), page);
                        raw.add((System.nanoTime() - b) / 1e6);
                    }
                }
                double p50 = percentile(api, 50);
                double rawP50 = percentile(raw, 50);
                System.out.printf("(1) round %d, %s %s view, a page of 50 over a random %s: p50 %.1f ms p95 %.1f ms"
                                + " (target p50 < 300 ms); the same page from the raw records p50 %.1f ms (%d of them);"
                                + " raw/view p50 = %.1fx; load %s%n", round, mode, view,
                        shape.equals("daily") ? "30 days" : shape.equals("daily-any") ? "1 to 730 days" : "12 months",
                        p50, percentile(api, 95), rawP50, raw.size(), rawP50 / p50, load());
            }
        }
    }

    /** The baseline: the page aggregated straight from usage_metrics, without model breakdown or storage. */
    private static void rawPage(TestDatabase db, String view, LocalDate from, LocalDate toExclusive, int page) throws SQLException {
        String key = view.equals("users") ? "tenant_id, user_id" : "tenant_id";
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT " + key + ", sum(input_tokens + output_tokens), sum(cost_usd) AS cost,"
                    + " count(*) OVER () FROM usage_metrics WHERE occurred_at >= '" + from + "T00:00:00Z'"
                    + " AND occurred_at < '" + toExclusive + "T00:00:00Z' GROUP BY " + key
                    + " ORDER BY cost DESC, " + key + " LIMIT 50 OFFSET " + (page - 1) * 50).close();
        }
    }

    private static void export(LambdaHarness lambda, TestDatabase db) throws Exception {
        UsageReports reports = lambda.context().getBean(UsageReports.class);
        Clock clock = Clock.fixed(START.plusDays(DAYS).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        UsageQuery query = UsageQuery.parse(Map.of("view_mode", "monthly", "date_from", START.toString(),
                "date_to", START.plusDays(DAYS - 1).toString()), clock);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int round = 1; round <= 3; round++) {
          for (UsageReports.Rows kind : UsageReports.Rows.values()) {
            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            AtomicLong peak = new AtomicLong(before);
            AtomicBoolean done = new AtomicBoolean();
            Thread sampler = new Thread(() -> {
                while (!done.get()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            CountingWriter out = new CountingWriter();
            long a = System.nanoTime();
            long rows = reports.exportCsv(query, kind, out);
            double s = seconds(a);
            done.set(true);
            sampler.join();
            long b = System.nanoTime();
            long copied;
            try (Connection c = db.dataSource().getConnection()) {
                copied = c.unwrap(PGConnection.class).getCopyAPI().copyOut(
                        "COPY (SELECT * FROM admin_usage_reports WHERE grain = 'month') TO STDOUT (FORMAT csv)",
                        OutputStream.nullOutputStream());
            }
            double copyS = seconds(b);
            System.out.printf("(2) CSV export round %d, %s view over 24 months: %,d rows (%,d chars) in %.2f s ="
                            + " %,.0f rows/s (target >= 150,000); peak heap growth %.1f MB; baseline COPY TO STDOUT of"
                            + " %,d monthly rollup rows %,.0f rows/s; load %s%n", round, kind.name().toLowerCase(), rows,
                    out.chars, s, rows / s, (peak.get() - before) / 1e6, copied, copied / copyS, load());
          }
        }
        // Through the handler, an answer is one part of at most 3,000,000 bytes (the Lambda proxy cap is 6 MB).
        Map<String, String> params = Map.of("view_mode", "monthly", "date_from", START.toString(),
                "date_to", START.plusDays(DAYS - 1).toString(), "format", "csv");
        long a = System.nanoTime();
        LambdaHarness.Response part = handle(lambda, AdminRequests.request("GET", "/api/admin/platform/usage/export", null,
                params, AdminJwts.superuser(NOW)));
        System.out.printf("    export through the handler: status %d, one part of %s rows, %,d chars, complete=%s,"
                        + " next offset %s, in %.2f s%n", part.status(), part.headers().get("X-Export-Rows"),
                part.body().length(), part.headers().get("X-Export-Complete"), part.headers().get("X-Export-Next-Offset"),
                seconds(a));
    }

    private static void ingest(LambdaHarness lambda, TestDatabase db, int tenants) throws Exception {
        int batches = 30;
        int size = 1000;
        // Warm-up, so the JIT does not decide the ratio: with 10 batches, run alone (--ingest-only), the handler's
        // rounds still rose from 40% to 63% of COPY.
        for (int pass = 1; pass <= 2; pass++) {
            batchIngest(lambda, "warm" + pass, batches, size, tenants);
            copyRecords(db, "warm-copy" + pass, 0, (long) batches * size, tenants);
        }
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            long a = System.nanoTime();
            batchIngest(lambda, "r" + round, batches, size, tenants);
            double rate = batches * size / seconds(a);
            long b = System.nanoTime();
            copyRecords(db, "copy-r" + round, 0, (long) batches * size, tenants);
            double copyRate = batches * size / seconds(b);
            System.out.printf("    ingest round %d: handler %,.0f records/s, COPY %,.0f records/s, handler/COPY = %.0f%%;"
                    + " load %s%n", round, rate, copyRate, 100 * rate / copyRate, load());
            ratios.add(rate / copyRate);
        }
        java.util.Collections.sort(ratios);
        System.out.printf("(3) ingest, %,d records in batches of %,d, 3 rounds: usage-ingest handler against COPY of the"
                + " same rows in the same round, median %.0f%% (%.0f%% to %.0f%%; target >= 50%%)%n",
                batches * size, size, 100 * ratios.get(1), 100 * ratios.get(0), 100 * ratios.get(2));
    }

    private static void batchIngest(LambdaHarness lambda, String run, int batches, int size, int tenants) {
        for (int b = 0; b < batches; b++) {
            StringBuilder body = new StringBuilder(size * 400).append("{\"records\":[");
            for (int i = 0; i < size; i++) {
                long n = (long) b * size + i;
                Row r = row(n, 30_000, tenants);
                if (i > 0) {
                    body.append(',');
                }
                body.append("{\"idempotency_key\":\"").append(run).append('-').append(n)
                        .append("\",\"occurred_at\":\"").append(r.at).append("\",\"tenant_id\":\"").append(r.tenant)
                        .append("\",\"user_id\":\"").append(r.user).append("\",\"brand_id\":\"").append(r.brand)
                        .append("\",\"provider\":\"").append(r.provider).append("\",\"model\":\"").append(r.model)
                        .append("\",\"input_tokens\":").append(r.input).append(",\"output_tokens\":").append(r.output)
                        .append(",\"cost_usd\":\"").append(r.cost).append("\"}");
            }
            body.append("]}");
            LambdaHarness.Response response = handle(lambda, LambdaHarness.request("POST", "/usage/metrics", body.toString()));
            if (response.status() != 200 || !response.body().startsWith("{\"created\":" + size)) {
                throw new IllegalStateException(response.status() + " " + response.body().substring(0, 200));
            }
        }
    }

    private record Row(String at, String tenant, String user, String brand, String provider, String model, long input,
                       long output, String cost, String storage) {
    }

    /** Record n of {@code of}, spread evenly over the 2 years, deterministic. */
    private static Row row(long n, long of, int tenants) {
        long mix = n * 0x9E3779B97F4A7C15L;
        int t = (int) Math.floorMod(mix >>> 17, (long) tenants);
        int u = (int) Math.floorMod(mix >>> 33, 20L);
        String[] model = MODELS[(int) Math.floorMod(mix >>> 41, (long) MODELS.length)];
        long second = (long) ((double) n / of * DAYS * 86_400L);
        String at = START.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(second).toString();
        long input = Math.floorMod(mix >>> 7, 4000L);
        long output = Math.floorMod(mix >>> 11, 1000L);
        long micros = Math.floorMod(mix >>> 23, 50_000L);
        String cost = "0." + String.format("%06d", micros);
        String storage = n % 50 == 0 ? String.valueOf(Math.floorMod(mix >>> 29, 500L)) + ".25" : "";
        return new Row(at, tenant(t), uuid(2, t * 20 + u), uuid(3, t * 2 + (int) (n & 1)), model[0], model[1],
                input, output, cost, storage);
    }

    private static String tenant(int t) {
        return t == 0 ? "00000000-0000-0000-0000-000000000002" : uuid(1, t);
    }

    private static String uuid(int tag, long n) {
        return String.format("%08x-0000-4000-8000-%012x", tag, n);
    }

    private static void loadIdentities(TestDatabase db, int tenants) throws Exception {
        StringBuilder orgs = new StringBuilder();
        StringBuilder ts = new StringBuilder();
        StringBuilder users = new StringBuilder();
        StringBuilder brands = new StringBuilder();
        String[] plans = {"free", "pro", "enterprise"};
        for (int t = 1; t < tenants; t++) {
            orgs.append(uuid(4, t)).append(",Org ").append(t).append('\n');
            ts.append(tenant(t)).append(',').append(uuid(4, t)).append(",\"Tenant ").append(t).append(", Inc.\",")
                    .append(plans[t % 3]).append('\n');
        }
        for (int t = 0; t < tenants; t++) {
            for (int u = 0; u < 20; u++) {
                users.append(uuid(2, t * 20 + u)).append(",user").append(t * 20 + u).append("@example.com\n");
            }
            for (int b = 0; b < 2; b++) {
                brands.append(uuid(3, t * 2 + b)).append(',').append(tenant(t)).append(",Brand ").append(t * 2 + b).append('\n');
            }
        }
        try (Connection c = db.dataSource().getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY platform_organizations (id, name) FROM STDIN (FORMAT csv)", new java.io.StringReader(orgs.toString()));
            copy.copyIn("COPY platform_tenants (id, organization_id, name, plan_tier) FROM STDIN (FORMAT csv)",
                    new java.io.StringReader(ts.toString()));
            copy.copyIn("COPY platform_users (id, email) FROM STDIN (FORMAT csv)", new java.io.StringReader(users.toString()));
            copy.copyIn("COPY platform_brands (id, tenant_id, brand_name) FROM STDIN (FORMAT csv)",
                    new java.io.StringReader(brands.toString()));
        }
    }

    /** COPY of records {@code from..from+n} (keys prefixed with {@code run}), generated as they are sent. */
    private static void copyRecords(TestDatabase db, String run, long from, long n, int tenants) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_METRICS);
            StringBuilder chunk = new StringBuilder(1 << 20);
            long of = run.equals("gen") ? n : 30_000;
            for (long i = from; i < from + n; i++) {
                Row r = row(i, of, tenants);
                chunk.append(run).append('-').append(i).append(',').append(r.at).append(',').append(r.tenant).append(',')
                        .append(r.user).append(',').append(r.brand).append(',').append(r.provider).append(',')
                        .append(r.model).append(',').append(r.input).append(',').append(r.output).append(',')
                        .append(r.cost).append(',').append(r.storage).append(",0\n");
                if (chunk.length() > (1 << 20) - 512) {
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    chunk.setLength(0);
                }
            }
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        }
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double percentile(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    /** The machine's load average (1, 5, 15 min), printed beside every figure: other work shares the cores. */
    private static String load() {
        try {
            String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Counts what the export writes and keeps none of it. */
    private static final class CountingWriter extends Writer {
        long chars;

        @Override
        public void write(char[] buffer, int offset, int length) {
            chars += length;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private UsageBench() {
    }
}
