package com.engarde.signupsync.functions.usagerollup;

import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.platform.UsageIngest;
import com.engarde.signupsync.platform.UsageQuery;
import com.engarde.signupsync.platform.UsageReports;
import com.engarde.signupsync.platform.UsageReports.Rows;
import com.engarde.signupsync.platform.UsageReports.UsagePage;
import com.engarde.signupsync.platform.UsageReports.UsageRow;
import com.engarde.signupsync.platform.UsageRange;
import com.engarde.signupsync.platform.UsageRollups;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static com.engarde.signupsync.testing.UsageRecords.batch;
import static com.engarde.signupsync.testing.UsageRecords.record;
import static com.engarde.signupsync.testing.UsageRecords.uuid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast answers of the daily and monthly views (the precomputed default pages, the running totals of any
 * other range, each series' latest storage level, the CSV export) equal the naive answer computed from the
 * records themselves, over random records with late ones, erasure-style deletes of a tenant's or a user's
 * records, retention of old records and re-runs of the rollup in between.
 */
class UsageFastAnswersPropertyTest {

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(properties());

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>(AdminJwts.PROPERTIES);
        properties.put("test.clock", "mutable");
        return properties;
    }

    private static final Instant NOW = Instant.parse("2026-03-20T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-03-20");
    /** Records fall on the 150 days up to today: within the monthly default range and before it. */
    private static final LocalDate FIRST = TODAY.minusDays(149);
    private static final Instant CLOCK_BEFORE = TestClock.INSTANCE.instant();
    private static final String[][] MODELS = {{"openai", "gpt-4o"}, {"anthropic", "claude"}, {"google", "bigquery"}};

    /** A record as the naive answer sees it. */
    private record Rec(String key, LocalDate day, Instant at, UUID tenant, UUID user, UUID brand, String provider,
                       String model, long tokens, BigDecimal cost, BigDecimal storage) {
    }

    private final Random random = new Random(29);
    private final List<Rec> records = new ArrayList<>();
    private LocalDate retainedFrom = null;
    private int serial;

    @AfterAll
    static void restoreClock() {
        TestClock.INSTANCE.set(CLOCK_BEFORE);
    }

    @Test
    void fastAnswersEqualTheNaiveAnswerThroughLateRecordsDeletesRetentionAndReRuns() throws Exception {
        TestClock.INSTANCE.set(NOW);
        TestDatabase.get().truncate();
        int checks = 0;
        for (int round = 0; round < 8; round++) {
            ingest(40 + random.nextInt(40), round == 0 ? FIRST : TODAY.minusDays(40));
            switch (round % 4) {
                case 1 -> eraseTenantOrUser();
                case 2 -> rollups().roll(new UsageRange(TODAY.minusDays(random.nextInt(100) + 10), TODAY.minusDays(random.nextInt(10))));
                case 3 -> retain(FIRST.plusDays(10L * round));
                default -> { }
            }
            rollups().rollDirtyDays();
            checks += compareEverything();
        }
        assertThat(checks).as("comparisons made").isGreaterThan(100);
    }

    private static UsageRollups rollups() {
        return lambda.harness().context().getBean(UsageRollups.class);
    }

    private static UsageReports reports() {
        return lambda.harness().context().getBean(UsageReports.class);
    }

    /** Random records on days from {@code earliest} to today (so late ones for rolled-up days too). */
    private void ingest(int n, LocalDate earliest) {
        LocalDate from = retainedFrom != null && retainedFrom.isAfter(earliest) ? retainedFrom : earliest;
        int days = (int) (TODAY.toEpochDay() - from.toEpochDay()) + 1;
        List<ObjectNode> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LocalDate day = from.plusDays(random.nextInt(days));
            // A few seconds only, so storage levels of one series tie now and then (the larger one counts).
            Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600L * random.nextInt(3));
            int t = random.nextInt(5);
            UUID tenant = UUID.fromString(t == 0 ? "00000000-0000-0000-0000-000000000002" : uuid(1, t));
            UUID user = random.nextInt(5) == 0 ? null : UUID.fromString(uuid(2, t * 10 + random.nextInt(3)));
            UUID brand = random.nextInt(3) == 0 ? null : UUID.fromString(uuid(3, t * 10 + random.nextInt(2)));
            String[] model = MODELS[random.nextInt(MODELS.length)];
            long tokens = random.nextInt(1000);
            BigDecimal cost = BigDecimal.valueOf(random.nextInt(2_000_000), 6);
            BigDecimal storage = random.nextInt(3) == 0 ? BigDecimal.valueOf(random.nextInt(500), 2).setScale(6) : null;
            String key = "p-" + serial++;
            ObjectNode r = record(key, at.toString(), tenant.toString(), user == null ? null : user.toString(),
                    cost.toPlainString(), tokens).put("provider", model[0]).put("model", model[1]);
            if (brand != null) {
                r.put("brand_id", brand.toString()).put("brand_name", "Brand " + brand.toString().substring(24));
            }
            if (storage != null) {
                r.put("bigquery_storage_gb", storage.toPlainString());
            }
            batch.add(r);
            records.add(new Rec(key, day, at, tenant, user, brand, model[0], model[1], tokens, cost, storage));
        }
        UsageIngest.Outcome outcome = lambda.harness().context().getBean(UsageIngest.class)
                .record(lambda.harness().context().getBean(JsonBodies.class)
                        .exactObject(JsonBodies.utf8(batch(batch)), UsageIngest.MAX_BODY_BYTES));
        assertThat(outcome.errors()).as(outcome.toString()).isZero();
    }

    /** Deletes every retained record of a tenant, or of a user, and marks their days dirty, as an erasure would. */
    private void eraseTenantOrUser() {
        List<Rec> retained = records.stream().filter(r -> retainedFrom == null || !r.day().isBefore(retainedFrom)).toList();
        Rec victim = retained.get(random.nextInt(retained.size()));
        boolean user = victim.user() != null && random.nextBoolean();
        List<Rec> gone = retained.stream()
                .filter(r -> user ? Objects.equals(r.user(), victim.user()) : r.tenant().equals(victim.tenant())).toList();
        TestDatabase db = TestDatabase.get();
        for (Rec r : gone) {
            db.execute("DELETE FROM usage_metrics WHERE idempotency_key = '" + r.key() + "'");
            db.execute("INSERT INTO usage_dirty_days (day) VALUES ('" + r.day() + "')");
        }
        records.removeAll(gone);
        assertThat(gone).as("records erased").isNotEmpty();
    }

    /** As retention does: raw records before the horizon go, their days' rollups stay (so the answers do too). */
    private void retain(LocalDate horizon) {
        retainedFrom = horizon;
        TestDatabase db = TestDatabase.get();
        db.execute("INSERT INTO usage_retained_from (day) VALUES ('" + horizon + "')"
                + " ON CONFLICT (only_row) DO UPDATE SET day = excluded.day");
        db.execute("DELETE FROM usage_metrics WHERE occurred_at < '" + horizon + "T00:00:00Z'");
        // The records stay in the naive answer's list: their rollups are kept.
    }

    /** Every view mode and kind: the default pages, random ranges, a tenant filter and the CSV export. */
    private int compareEverything() throws java.sql.SQLException {
        // The default pages below are the precomputed ones: the last run ranked today's default ranges.
        try (var c = TestDatabase.get().dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM usage_default_totals WHERE (grain, range_from) IN"
                     + " (('day', '" + TODAY.minusDays(29) + "'), ('month', '" + TODAY.withDayOfMonth(1).minusMonths(11) + "'))")) {
            rs.next();
            assertThat(rs.getInt(1)).as("default ranges ranked by the last run").isEqualTo(4);
        }
        int n = 0;
        for (String mode : List.of("daily", "monthly")) {
            for (Rows rows : Rows.values()) {
                n += compare(Map.of("view_mode", mode), rows);
                n += compare(Map.of("view_mode", mode, "page", "2", "page_size", "3"), rows);
                n += compare(Map.of("view_mode", mode, "page", "30", "page_size", "50"), rows);
                for (int i = 0; i < 3; i++) {
                    LocalDate from = FIRST.minusDays(5).plusDays(random.nextInt(150));
                    LocalDate to = from.plusDays(random.nextInt(120));
                    n += compare(Map.of("view_mode", mode, "date_from", from.toString(), "date_to", to.toString(),
                            "page_size", "200"), rows);
                    n += compare(Map.of("view_mode", mode, "date_from", from.toString(), "date_to", to.toString(),
                            "tenant_id", uuid(1, 1 + random.nextInt(4)), "page_size", "200"), rows);
                    n += compareExport(Map.of("view_mode", mode, "date_from", from.toString(), "date_to", to.toString()), rows);
                }
                n += compareExport(Map.of("view_mode", mode), rows);
            }
        }
        return n;
    }

    private int compare(Map<String, String> params, Rows rows) {
        UsageQuery query = UsageQuery.parse(params, TestClock.INSTANCE);
        UsagePage page = reports().page(query, rows);
        List<Expected> all = naive(query, rows);
        String what = params + " " + rows;
        assertThat(page.totalCount()).as(what).isEqualTo(all.size());
        assertThat(page.totalLlmTokens()).as(what).isEqualTo(all.stream().mapToLong(Expected::tokens).sum());
        assertThat(page.totalLlmCostUsd()).as(what).isEqualTo(sum(all.stream().map(Expected::cost).toList()));
        assertThat(page.totalBigqueryStorageGb()).as(what).isEqualTo(sum(all.stream().map(Expected::storage).toList()));
        assertThat(page.platformUsageUsd()).as(what).isEqualTo(sum(all.stream()
                .filter(e -> e.tenant().toString().equals("00000000-0000-0000-0000-000000000002")).map(Expected::cost).toList()));
        List<Expected> expected = all.stream().skip(query.offset()).limit(query.pageSize()).toList();
        List<Expected> actual = page.rows().stream().map(r -> Expected.of(r, rows)).toList();
        assertThat(actual).as(what).isEqualTo(expected);
        return 1;
    }

    private int compareExport(Map<String, String> params, Rows rows) {
        UsageQuery query = UsageQuery.parse(params, TestClock.INSTANCE);
        StringWriter out = new StringWriter();
        reports().exportCsv(query, rows, out);
        List<String> actual = new ArrayList<>();
        try {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(out.toString()))) {
                actual.add(String.join("|", r.get("tenant_id"), r.get("user_id"), r.get("llm_tokens"),
                        new BigDecimal(r.get("bigquery_storage_gb")).setScale(6).toPlainString(),
                        new BigDecimal(r.get("total_cost_usd")).setScale(6).toPlainString()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> expected = naive(query, rows).stream().map(e -> String.join("|", e.tenant().toString(),
                e.user() == null ? "" : e.user().toString(), String.valueOf(e.tokens()), e.storage().toPlainString(),
                e.cost().toPlainString())).toList();
        assertThat(actual).as("export " + params + " " + rows).isEqualTo(expected);
        return 1;
    }

    /** A view row as compared: its key, sums and model breakdown. */
    private record Expected(UUID tenant, UUID user, long tokens, BigDecimal cost, BigDecimal storage,
                            List<String> models) {
        static Expected of(UsageRow r, Rows rows) {
            return new Expected(r.tenantId(), rows == Rows.USERS ? r.userId() : null, r.llmTokens(), r.totalCostUsd(),
                    r.bigqueryStorageGb(), r.models().stream()
                    .map(m -> m.provider() + "/" + m.model() + "/" + m.llmTokens() + "/" + m.costUsd().toPlainString()).toList());
        }
    }

    /** The view computed from the records: the days of the range, summed per key, storage by the level rule. */
    private List<Expected> naive(UsageQuery query, Rows rows) {
        LocalDate from = query.range().from();
        LocalDate to = query.viewMode().id().equals("monthly") ? query.range().to().plusMonths(1).minusDays(1) : query.range().to();
        UUID tenantFilter = query.tenantId();
        Map<List<UUID>, List<Rec>> byKey = new HashMap<>();
        for (Rec r : records) {
            if (r.day().isBefore(from) || r.day().isAfter(to) || (tenantFilter != null && !tenantFilter.equals(r.tenant()))) {
                continue;
            }
            List<UUID> key = new ArrayList<>();
            key.add(r.tenant());
            key.add(rows == Rows.USERS ? r.user() : null);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Expected> out = new ArrayList<>();
        for (var e : byKey.entrySet()) {
            List<Rec> rs = e.getValue();
            long tokens = rs.stream().mapToLong(Rec::tokens).sum();
            BigDecimal cost = sum(rs.stream().map(Rec::cost).toList());
            // Per series (tenant, user, brand): the latest level, ties the larger.
            Map<List<UUID>, Rec> latest = new HashMap<>();
            for (Rec r : rs) {
                if (r.storage() == null) {
                    continue;
                }
                List<UUID> series = new ArrayList<>();
                series.add(r.tenant());
                series.add(r.user());
                series.add(r.brand());
                latest.merge(series, r, (a, b) -> {
                    int c = a.at().compareTo(b.at());
                    return c > 0 || (c == 0 && a.storage().compareTo(b.storage()) >= 0) ? a : b;
                });
            }
            BigDecimal storage = sum(latest.values().stream().map(Rec::storage).toList());
            Map<String, long[]> tokensByModel = new TreeMap<>();
            Map<String, BigDecimal> costByModel = new TreeMap<>();
            for (Rec r : rs) {
                String m = r.provider() + "/" + r.model();
                tokensByModel.computeIfAbsent(m, k -> new long[1])[0] += r.tokens();
                costByModel.merge(m, r.cost(), BigDecimal::add);
            }
            List<String> models = tokensByModel.keySet().stream()
                    .map(m -> m + "/" + tokensByModel.get(m)[0] + "/" + costByModel.get(m).setScale(6, RoundingMode.UNNECESSARY).toPlainString())
                    .toList();
            out.add(new Expected(e.getKey().get(0), e.getKey().get(1), tokens, cost, storage, models));
        }
        // The views' order: cost descending, then tenant id, then user id (no user first), uuids as PostgreSQL
        // orders them (their text).
        out.sort(Comparator.comparing(Expected::cost).reversed()
                .thenComparing(x -> x.tenant().toString())
                .thenComparing(x -> x.user() == null ? "" : x.user().toString()));
        return out;
    }

    private static BigDecimal sum(List<BigDecimal> values) {
        return values.stream().reduce(BigDecimal.ZERO, BigDecimal::add).setScale(6, RoundingMode.UNNECESSARY);
    }
}
