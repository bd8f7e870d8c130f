package com.engarde.signupsync.analytics;

import com.engarde.signupsync.analytics.FunnelQuery.GroupBy;
import com.engarde.signupsync.analytics.FunnelQuery.Stage;
import com.engarde.signupsync.analytics.FunnelReports.Bin;
import com.engarde.signupsync.analytics.FunnelReports.FunnelLead;
import com.engarde.signupsync.analytics.FunnelReports.FunnelLeadsPage;
import com.engarde.signupsync.analytics.FunnelReports.FunnelMetricsReport;
import com.engarde.signupsync.analytics.FunnelReports.FunnelTrendsReport;
import com.engarde.signupsync.analytics.FunnelReports.Metrics;
import com.engarde.signupsync.analytics.FunnelReports.StageMetrics;
import com.engarde.signupsync.analytics.FunnelReports.Step;
import com.engarde.signupsync.analytics.FunnelReports.TimeToConvert;
import com.engarde.signupsync.analytics.FunnelReports.Touch;
import com.engarde.signupsync.analytics.FunnelReports.TrendPeriod;
import com.engarde.signupsync.analytics.FunnelReports.Used;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.persistence.Database;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Answers funnel questions from {@code analytics_leads}, one row per lead kept exact by triggers on every event
 * write (V7), so an answer reads the cohort's leads, never their raw events. The same questions can be answered
 * from the raw events at request time ({@link LeadTable#RAW_EVENTS}): the benchmark and the tests compare both.
 *
 * <p>The rules: a lead counts once per stage, when it first did one of the stage's events; a refunded ticket
 * or a cancelled booking does not reach its stage; a lead is attributed by its first or last touch; a lead is
 * counted at a stage only if it reached every stage before it (so no rate exceeds 100%); groups partition the
 * cohort (so they add up to the total); an empty range answers zeros.
 */
@Singleton
public class FunnelAnalytics {

    private static final Logger LOG = LoggerFactory.getLogger(FunnelAnalytics.class);

    /** Where the per-lead rows come from. */
    public enum LeadTable {
        /** The table the triggers keep: what the routes use. */
        MAINTAINED("analytics_leads"),
        /** The same rows derived from every raw event at request time: the naive baseline. */
        RAW_EVENTS("analytics_leads_from_events");

        private final String relation;

        LeadTable(String relation) {
            this.relation = relation;
        }
    }

    private final Database database;
    private final Clock clock;

    public FunnelAnalytics(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public FunnelMetricsReport metrics(Map<String, List<String>> params, LeadTable table) {
        FunnelQuery q = FunnelParameters.metrics(params, clock);
        // One snapshot: the conversion rollup's counts locate the ranks the next statement reads (V19).
        return database.snapshot(c -> metrics(c, q, table));
    }

    public FunnelTrendsReport trends(Map<String, List<String>> params, LeadTable table) {
        FunnelParameters p = FunnelParameters.trendParameters(params);
        String interval = p.value("interval") == null ? "week" : p.value("interval").strip();
        if (!List.of("day", "week", "month").contains(interval)) {
            throw new InvalidFunnelQuery("interval", "interval must be one of day, week, month");
        }
        FunnelQuery q = p.query(clock, FunnelParameters.DEFAULT_TREND_WINDOW);
        if (table == LeadTable.MAINTAINED && windowRollupDims(q) >= 0) {
            compactIfNeeded();
        }
        return database.read(c -> trends(c, q, interval, table));
    }

    public FunnelLeadsPage leads(Map<String, List<String>> params, LeadTable table) {
        FunnelParameters p = FunnelParameters.leadParameters(params);
        FunnelQuery q = p.query(clock, null);
        if (p.value("stage") == null) {
            throw new InvalidFunnelQuery("stage", "stage is required: the number of a stage, from 1 to " + q.steps().size());
        }
        int stage = (int) p.number("stage", 1, q.steps().size(), 1);
        boolean dropped = p.choice("status", LeadStatus.class, LeadStatus.REACHED) == LeadStatus.DROPPED;
        if (dropped && stage == q.steps().size()) {
            throw new InvalidFunnelQuery("status", "nobody drops off after the last stage; use status=reached");
        }
        int limit = (int) p.number("limit", 1, FunnelParameters.MAX_LIMIT, FunnelParameters.DEFAULT_LIMIT);
        long after = p.number("after", 0, Long.MAX_VALUE, 0);
        return database.read(c -> leads(c, q, stage, dropped, limit, after, table));
    }

    enum LeadStatus { REACHED, DROPPED }

    private FunnelMetricsReport metrics(Connection c, FunnelQuery q, LeadTable table) throws SQLException {
        boolean grouped = q.groupBy() != GroupBy.NONE;
        int n = q.steps().size();
        String g = grouped ? "g::text" : "NULL::text";

        // The stage counts: from the cohort rollup where the question allows (V17), else one pass over the
        // cohort's lead rows.
        StringBuilder sql = new StringBuilder();
        List<Object> binds = new ArrayList<>();
        int dims = table == LeadTable.MAINTAINED ? rollupDims(q) : -1;
        int windowDims = table == LeadTable.MAINTAINED ? windowRollupDims(q) : -1;
        // Time to convert from the conversion rollup (V19) where the question allows. A bin that is not a whole
        // number of buckets (6h) needs every duration: the one scan of the converted leads then serves both.
        long bin = q.histogramBin().getSeconds();
        int conversionDims = table == LeadTable.MAINTAINED && q.exclude().isEmpty() && bin % BUCKET_SECONDS == 0
                && (q.window() == null || q.window().getSeconds() % BUCKET_SECONDS == 0) ? neededDims(q) : -1;
        if (dims >= 0 || windowDims >= 0 || conversionDims >= 0) {
            // Before this snapshot's first statement, so that it sees the folded rollup and no connection waits
            // idle in its transaction meanwhile.
            compactIfNeeded();
        }
        String count;
        String[] stageCounts = new String[n + 2];
        if (windowDims >= 0) {
            boolean days = q.groupBy() == GroupBy.DAY || q.groupBy() == GroupBy.WEEK;
            List<Integer> codes = new ArrayList<>();
            for (int k = 2; k <= n; k++) {
                codes.add(FunnelSql.windowStage(q.order(), k));
            }
            codes.add(FunnelSql.windowStage(q.order(), 0));
            FunnelSql.windowRollup(q, windowDims, days, q.window().getSeconds() / BUCKET_SECONDS, codes,
                    groupExpression(q, "a.", "a.cohort_day::timestamp"), sql, binds);
            count = "coalesce(sum(leads)%s, 0)::bigint";
            String cohort = " FILTER (WHERE stage IS NULL)";
            stageCounts[0] = cohort;
            stageCounts[1] = cohort;
            for (int k = 2; k <= n; k++) {
                stageCounts[k] = " FILTER (WHERE stage = " + FunnelSql.windowStage(q.order(), k) + ")";
            }
            stageCounts[n + 1] = " FILTER (WHERE stage = " + FunnelSql.windowStage(q.order(), 0) + ")";
        } else if (dims >= 0) {
            boolean days = q.groupBy() == GroupBy.DAY || q.groupBy() == GroupBy.WEEK;
            FunnelSql.rollup(q, dims, days, groupExpression(q, "a.", "a.cohort_day::timestamp"), sql, binds);
            count = "coalesce(sum(leads)%s, 0)::bigint";
        } else {
            count = "count(*)%s";
        }
        if (windowDims < 0) {
            stageCounts[0] = "";
            for (int k = 1; k <= n; k++) {
                stageCounts[k] = " FILTER (WHERE reached >= " + k + ")";
            }
            stageCounts[n + 1] = " FILTER (WHERE conv)";
        }
        if (windowDims < 0 && dims < 0) {
            FunnelSql.funnel(q, table.relation, groupExpression(q, FunnelSql.prefix(q.attribution()),
                    "(a.cohort_at AT TIME ZONE 'UTC')"), false, sql, binds);
        }
        // One row per group (a plain GROUP BY, which PostgreSQL can run as a parallel scan with partial
        // aggregates, unlike grouping sets); the groups partition the cohort, so the total is their sum.
        sql.append("SELECT ").append(g).append(" AS g, ").append(String.format(count, stageCounts[0])).append(" AS leads, ARRAY[");
        for (int k = 1; k <= n; k++) {
            sql.append(k == 1 ? "" : ", ").append(String.format(count, stageCounts[k]));
        }
        sql.append("]::bigint[] AS stages, ").append(String.format(count, stageCounts[n + 1]))
                .append(" AS conversions FROM funnel");
        if (grouped) {
            sql.append(" GROUP BY g");
            if (dims >= 0 || windowDims >= 0) {
                // Deltas that net to zero leave groups with no lead: the lead rows would not have them.
                sql.append(" HAVING sum(leads)").append(stageCounts[0]).append(" <> 0");
            }
            sql.append(" ORDER BY 1");
        }
        Map<String, long[]> counts = new LinkedHashMap<>();
        long[] sum = new long[n + 2];
        try (PreparedStatement s = prepare(c, sql.toString(), binds); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Long[] stages = (Long[]) rs.getArray("stages").getArray();
                long[] row = new long[n + 2];
                row[0] = rs.getLong("leads");
                for (int k = 0; k < n; k++) {
                    row[k + 1] = stages[k];
                }
                row[n + 1] = rs.getLong("conversions");
                for (int k = 0; k < row.length; k++) {
                    sum[k] += row[k];
                }
                counts.put(grouped ? rs.getString("g") : null, row);
            }
        }
        counts.put(null, sum);

        // Time to convert: from the conversion rollup, reading only the exact durations at the percentiles'
        // ranks; else from the converted leads alone, read from an index that holds them with their attribution
        // (V17), unless an exclusion needs their stages. Where the rollup places a rank in a bucket whose lead rows
        // do not hold it (the same triggers keep both, so only a write that bypassed them could do it), the answer
        // comes from the lead rows instead of failing, and the log says so.
        Map<String, Double[]> percentiles = new LinkedHashMap<>();
        Map<String, List<Bin>> histograms = new LinkedHashMap<>();
        if (conversionDims < 0 || !timeToConvertFromBuckets(c, q, conversionDims, bin, percentiles, histograms)) {
            if (conversionDims >= 0) {
                LOG.warn("the conversion rollup disagrees with the lead rows for a time-to-convert question;"
                        + " answered from the lead rows");
                percentiles.clear();
                histograms.clear();
            }
            timeToConvert(c, q, table, percentiles, histograms);
        }
        Metrics totals = null;
        List<Metrics> groups = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            Metrics m = metrics(q, e.getKey(), e.getValue(),
                    percentiles.getOrDefault(e.getKey(), new Double[PERCENTILES.length]),
                    histograms.getOrDefault(e.getKey(), List.of()));
            if (e.getKey() == null) {
                totals = m;
            } else {
                groups.add(m);
            }
        }
        return new FunnelMetricsReport(used(q, true), totals, groups);
    }

    /**
     * Time to convert from the converted leads of the cohort, by percentile_cont over their exact durations, and
     * their histogram.
     */
    private static void timeToConvert(Connection c, FunnelQuery q, LeadTable table,
                                      Map<String, Double[]> percentiles, Map<String, List<Bin>> histograms)
            throws SQLException {
        boolean grouped = q.groupBy() != GroupBy.NONE;
        String total = grouped ? "GROUPING(g) = 1" : "true";
        String sets = grouped ? " GROUP BY GROUPING SETS ((g), ())" : "";
        String g = grouped ? "g::text" : "NULL::text";
        long bin = q.histogramBin().getSeconds();
        StringBuilder sql = new StringBuilder();
        List<Object> binds = new ArrayList<>();
        String leadGroup = groupExpression(q, FunnelSql.prefix(q.attribution()), "(a.cohort_at AT TIME ZONE 'UTC')");
        if (table == LeadTable.MAINTAINED && q.exclude().isEmpty()) {
            FunnelSql.conversions(q, leadGroup, sql, binds);
        } else {
            FunnelSql.funnel(q, table.relation, leadGroup, true, sql, binds);
        }
        sql.append("SELECT 'p' AS kind, ").append(total).append(" AS total, ").append(g)
                .append(" AS g, NULL::bigint AS bin, NULL::bigint AS leads,")
                .append(" percentile_cont(").append(PERCENTILES_SQL).append(") WITHIN GROUP (ORDER BY secs) AS pct")
                .append(" FROM funnel WHERE conv").append(sets)
                .append("\nUNION ALL SELECT 'h' AS kind, ").append(total).append(" AS total, ").append(g).append(" AS g, floor(secs / ")
                .append(bin).append(")::bigint AS bin, count(*) AS leads, NULL::float8[] AS pct FROM funnel WHERE conv GROUP BY ")
                .append(grouped ? "GROUPING SETS ((g, bin), (bin))" : "bin");
        double binHours = bin / 3600.0;
        try (PreparedStatement s = prepare(c, sql.toString(), binds); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String key = rs.getBoolean("total") ? null : rs.getString("g");
                if ("p".equals(rs.getString("kind"))) {
                    Array pct = rs.getArray("pct");
                    percentiles.put(key, pct == null ? new Double[PERCENTILES.length] : (Double[]) pct.getArray());
                } else {
                    long b = rs.getLong("bin");
                    histograms.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new Bin(b * binHours, (b + 1) * binHours, rs.getLong("leads")));
                }
            }
        }
    }

    /** The width of the conversion rollup's duration buckets (V19's analytics_conversion_bucket): one day. */
    static final long BUCKET_SECONDS = 86_400;

    /** The percentiles of time to convert an answer gives: median, p75, p90 ({@link #metrics}' order). */
    private static final double[] PERCENTILES = {0.5, 0.75, 0.9};

    private static final String PERCENTILES_SQL = "ARRAY[" + Arrays.stream(PERCENTILES)
            .mapToObj(Double::toString).collect(Collectors.joining(", ")) + "]";

    /** One exact duration wanted: a group's (null: the total's) {@code rank}-th, from 0, within its bucket. */
    private record Ranked(String group, int bucket, long rank) {
    }

    /**
     * Time to convert from the conversion rollup (V19): the converted leads per group and duration bucket, from
     * which each percentile's two neighbouring ranks (as percentile_cont interpolates them) are located in their
     * buckets; then only those ranks' exact durations are read. The histogram (the bin is a whole number of
     * buckets) is the bucket counts summed per bin. Answers false if the rollup counts a duration the lead
     * rows do not hold: what it filled in is then to be discarded.
     */
    private static boolean timeToConvertFromBuckets(Connection c, FunnelQuery q, int dims, long bin,
                                                 Map<String, Double[]> percentiles, Map<String, List<Bin>> histograms)
            throws SQLException {
        boolean grouped = q.groupBy() != GroupBy.NONE;
        boolean days = q.groupBy() == GroupBy.DAY || q.groupBy() == GroupBy.WEEK;
        StringBuilder sql = new StringBuilder();
        List<Object> binds = new ArrayList<>();
        FunnelSql.conversionRollup(q, dims, days, groupExpression(q, "a.", "a.cohort_day::timestamp"), sql, binds);
        sql.append("SELECT g::text, bucket, leads FROM buckets");
        Map<String, TreeMap<Integer, Long>> buckets = new LinkedHashMap<>();
        buckets.put(null, new TreeMap<>());
        try (PreparedStatement s = prepare(c, sql.toString(), binds); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                int bucket = rs.getInt(2);
                long leads = rs.getLong(3);
                if (grouped) {
                    buckets.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).merge(bucket, leads, Long::sum);
                }
                buckets.get(null).merge(bucket, leads, Long::sum);
            }
        }
        if (q.window() != null) {
            // Within a window of n whole days: every bucket below n, and of bucket n (durations from n days to
            // n days and a second short of n + 1) only the leads converted exactly n days after their first touch,
            // counted from the lead rows. They are the smallest durations of their bucket, so the ranks located
            // below are theirs.
            int edge = (int) (q.window().getSeconds() / BUCKET_SECONDS);
            buckets.values().forEach(b -> b.tailMap(edge, true).clear());
            sql = new StringBuilder();
            binds = new ArrayList<>();
            FunnelSql.windowEdge(q, groupExpression(q, FunnelSql.prefix(q.attribution()), "(a.cohort_at AT TIME ZONE 'UTC')"),
                    edge, sql, binds);
            try (PreparedStatement s = prepare(c, sql.toString(), binds); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long leads = rs.getLong(2);
                    if (grouped) {
                        buckets.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).merge(edge, leads, Long::sum);
                    }
                    buckets.get(null).merge(edge, leads, Long::sum);
                }
            }
        }
        List<Ranked> wanted = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, Long>> e : buckets.entrySet()) {
            long n = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            for (double p : PERCENTILES) {
                if (n > 0) {
                    double position = p * (n - 1);
                    wanted.add(ranked(e.getKey(), e.getValue(), (long) Math.floor(position)));
                    wanted.add(ranked(e.getKey(), e.getValue(), (long) Math.ceil(position)));
                }
            }
            if (n > 0) {
                long width = bin / BUCKET_SECONDS;
                double binHours = bin / 3600.0;
                TreeMap<Long, Long> bins = new TreeMap<>();
                e.getValue().forEach((b, leads) -> bins.merge(Math.floorDiv(b, width), leads, Long::sum));
                List<Bin> histogram = new ArrayList<>();
                bins.forEach((b, leads) -> histogram.add(new Bin(b * binHours, (b + 1) * binHours, leads)));
                histograms.put(e.getKey(), histogram);
            }
        }
        if (wanted.isEmpty()) {
            return true;
        }
        sql = new StringBuilder();
        binds = new ArrayList<>();
        String period = switch (q.groupBy()) {
            case DAY -> "day";
            case WEEK -> "week";
            case MONTH -> "month";
            default -> null;
        };
        FunnelSql.bucketValues(q, groupExpression(q, FunnelSql.prefix(q.attribution()), "(a.cohort_at AT TIME ZONE 'UTC')"),
                period, wanted.stream().map(Ranked::group).toList(), wanted.stream().map(Ranked::bucket).toList(),
                wanted.stream().map(Ranked::rank).toList(), sql, binds);
        Map<Ranked, Double> values = new LinkedHashMap<>();
        try (PreparedStatement s = prepare(c, sql.toString(), binds); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                values.put(new Ranked(rs.getString(1), rs.getInt(2), rs.getLong(3)), rs.getDouble(4));
            }
        }
        // percentile_cont: the value at rank floor(p (n - 1)), interpolated towards the next as PostgreSQL does.
        for (int i = 0; i < wanted.size(); i += 2 * PERCENTILES.length) {
            String key = wanted.get(i).group();
            long n = buckets.get(key).values().stream().mapToLong(Long::longValue).sum();
            Double[] pct = new Double[PERCENTILES.length];
            for (int k = 0; k < PERCENTILES.length; k++) {
                Double first = values.get(wanted.get(i + 2 * k));
                Double second = values.get(wanted.get(i + 2 * k + 1));
                if (first == null || second == null) {
                    return false;
                }
                double position = PERCENTILES[k] * (n - 1);
                double proportion = position - Math.floor(position);
                pct[k] = Math.ceil(position) > Math.floor(position) ? first + (second - first) * proportion : first;
            }
            percentiles.put(key, pct);
        }
        return true;
    }

    /** The bucket and rank within it of the {@code rank}-th (from 0) of the durations counted by {@code buckets}. */
    private static Ranked ranked(String group, TreeMap<Integer, Long> buckets, long rank) {
        long before = 0;
        for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
            if (rank < before + e.getValue()) {
                return new Ranked(group, e.getKey(), rank - before);
            }
            before += e.getValue();
        }
        throw new IllegalStateException("rank " + rank + " past " + before + " converted leads");
    }

    private static Metrics metrics(FunnelQuery q, String key, long[] row, Double[] p, List<Bin> histogram) {
        long leads = row[0];
        List<StageMetrics> stages = new ArrayList<>();
        long previous = leads;
        for (int k = 0; k < q.steps().size(); k++) {
            long count = row[k + 1];
            stages.add(new StageMetrics(q.steps().get(k).name(), count, rate(count, previous),
                    rate(count, row[1]), previous - count));
            previous = count;
        }
        long conversions = row[q.steps().size() + 1];
        List<Bin> sorted = new ArrayList<>(histogram);
        sorted.sort(Comparator.comparingDouble(Bin::fromHours));
        return new Metrics(groupKey(q, key), leads, stages, conversions, rate(conversions, leads),
                new TimeToConvert(hours(p[0]), hours(p[1]), hours(p[2]), FunnelParameters.format(q.histogramBin()),
                        List.copyOf(sorted)));
    }

    /** Period groups are read as dates and named here: 2026-03-02, 2026-W10, 2026-03. */
    private static String groupKey(FunnelQuery q, String key) {
        if (key == null) {
            return null;
        }
        return switch (q.groupBy()) {
            case WEEK -> {
                LocalDate d = LocalDate.parse(key);
                yield String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR),
                        d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            }
            case MONTH -> key.substring(0, 7);
            default -> key;
        };
    }

    private FunnelTrendsReport trends(Connection c, FunnelQuery q, String interval, LeadTable table) throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> binds = new ArrayList<>();
        int n = q.steps().size();
        int windowDims = table == LeadTable.MAINTAINED ? windowRollupDims(q) : -1;
        if (windowDims >= 0) {
            // From the cohort and window rollups (V36): the cohort's leads, and those that reached the last stage
            // within the window.
            String day = "a.cohort_day::timestamp";
            FunnelSql.windowRollup(q, windowDims, !interval.equals("month"), q.window().getSeconds() / BUCKET_SECONDS,
                    List.of(FunnelSql.windowStage(q.order(), n)), interval.equals("day") ? day + "::date" : "date_trunc('" + interval + "', " + day + ")::date",
                    sql, binds);
            sql.append("SELECT g::text, coalesce(sum(leads) FILTER (WHERE stage IS NULL), 0)::bigint,")
                    .append(" coalesce(sum(leads) FILTER (WHERE stage = ").append(FunnelSql.windowStage(q.order(), n))
                    .append("), 0)::bigint FROM funnel GROUP BY g");
        } else {
            // The same period expressions as the metrics' group_by, which have planner statistics (V18).
            String utc = "(a.cohort_at AT TIME ZONE 'UTC')";
            FunnelSql.funnel(q, table.relation, interval.equals("day") ? utc + "::date"
                    : "date_trunc('" + interval + "', " + utc + ")::date", false, sql, binds);
            sql.append("SELECT g::text, count(*) FILTER (WHERE reached >= 1), count(*) FILTER (WHERE reached >= ")
                    .append(n).append(") FROM funnel GROUP BY g");
        }
        Map<LocalDate, long[]> counts = new TreeMap<>();
        try (PreparedStatement s = prepare(c, sql.toString(), binds); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                counts.put(LocalDate.parse(rs.getString(1)), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        Instant now = clock.instant();
        Instant rangeEnd = q.dateTo().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<TrendPeriod> periods = new ArrayList<>();
        for (LocalDate p = periodStart(q.dateFrom(), interval); !p.isAfter(q.dateTo()); p = next(p, interval)) {
            long[] row = counts.getOrDefault(p, new long[2]);
            Instant end = next(p, interval).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant lastEntry = end.isBefore(rangeEnd) ? end : rangeEnd;
            periods.add(new TrendPeriod(p, row[0], row[1], rate(row[1], row[0]),
                    lastEntry.plus(q.window()).isAfter(now)));
        }
        return new FunnelTrendsReport(used(q, false), interval, periods);
    }

    private FunnelLeadsPage leads(Connection c, FunnelQuery q, int stage, boolean dropped, int limit, long after,
                                  LeadTable table) throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> binds = new ArrayList<>();
        FunnelSql.funnel(q, table.relation, "NULL::text", false, sql, binds);
        sql.append("SELECT f.lead_id, l.email, f.reached, f.cohort_at, f.ft_source, f.ft_utm_source, f.ft_utm_medium,")
                .append(" f.ft_utm_campaign, f.lt_at, f.lt_source, f.lt_utm_source, f.lt_utm_medium, f.lt_utm_campaign")
                .append(" FROM funnel f JOIN leads l ON l.id = f.lead_id WHERE f.reached ")
                .append(dropped ? "= " : ">= ").append(stage).append(" AND f.lead_id > ? ORDER BY f.lead_id LIMIT ?");
        binds.add(after);
        binds.add(limit + 1);
        List<FunnelLead> leads = new ArrayList<>();
        try (PreparedStatement s = prepare(c, sql.toString(), binds); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                leads.add(new FunnelLead(rs.getLong(1), rs.getString(2), rs.getInt(3),
                        new Touch(rs.getString(5), rs.getTimestamp(4).toInstant(), rs.getString(6), rs.getString(7),
                                rs.getString(8)),
                        new Touch(rs.getString(10), rs.getTimestamp(9).toInstant(), rs.getString(11), rs.getString(12),
                                rs.getString(13))));
            }
        }
        Long next = null;
        if (leads.size() > limit) {
            leads = leads.subList(0, limit);
            next = leads.get(limit - 1).leadId();
        }
        return new FunnelLeadsPage(used(q, false), stage, q.steps().get(stage - 1).name(),
                dropped ? "dropped" : "reached", List.copyOf(leads), next);
    }

    /**
     * The dimension set of the cohort rollup (V17) that answers {@code q}'s stage counts, or -1 when the rollup
     * cannot: custom stages, a window or an exclusion need the lead's times, and filters with a breakdown whose
     * dimensions the rollup does not keep together need the lead rows. Kept: none, each dimension alone (1 source,
     * 2 utm_source, 4 utm_medium, 8 utm_campaign), and source with utm_campaign (9).
     */
    static int rollupDims(FunnelQuery q) {
        if (q.window() != null || !q.exclude().isEmpty() || !FunnelSql.defaultStages(q)) {
            return -1;
        }
        return neededDims(q);
    }

    /**
     * The dimension set of the window rollup (V36) that answers {@code q}'s stage counts and conversions, or -1
     * when it cannot: it holds the default stages without exclusion, for a window of whole days, with no filter or
     * breakdown but by source.
     */
    static int windowRollupDims(FunnelQuery q) {
        if (q.window() == null || q.window().getSeconds() % BUCKET_SECONDS != 0 || !q.exclude().isEmpty()
                || !FunnelSql.defaultStages(q)) {
            return -1;
        }
        int needed = neededDims(q);
        return needed == 0 || needed == 1 ? needed : -1;
    }

    /**
     * The dimension set of the rollups (V17, V19) that holds {@code q}'s filters and breakdown together, or -1
     * when none does.
     */
    static int neededDims(FunnelQuery q) {
        int needed = (q.filters().sourceType() != null ? 1 : 0) | (q.filters().utmSource() != null ? 2 : 0)
                | (q.filters().utmMedium() != null ? 4 : 0) | (q.filters().utmCampaign() != null ? 8 : 0)
                | switch (q.groupBy()) {
                    case SOURCE -> 1;
                    case UTM_SOURCE -> 2;
                    case UTM_MEDIUM -> 4;
                    case UTM_CAMPAIGN -> 8;
                    default -> 0;
                };
        if (List.of(0, 1, 2, 4, 8, 9).contains(needed)) {
            return needed;
        }
        return (needed & ~9) == 0 ? 9 : -1;
    }

    /**
     * Deltas a read still sums before it compacts them into the rollup itself: the schedule folds them
     * (funnel-analytics' schedule), so a read compacts only when far behind it.
     */
    static final int MAX_DELTAS = 20_000;

    /**
     * A read that sees more than {@link #MAX_DELTAS} uncompacted deltas folds them first, in its own
     * transaction; the answer is the same either way, only faster after.
     */
    private void compactIfNeeded() {
        long deltas = database.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT count(*) FROM (SELECT 1 FROM analytics_cohort_deltas LIMIT " + (MAX_DELTAS + 1) + ") d");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        if (deltas > MAX_DELTAS) {
            compact();
        }
    }

    /** Folds the rollup's deltas (analytics_compact_cohort_counts, R__analytics_functions.sql); returns how many were folded. */
    public long compact() {
        return database.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT analytics_compact_cohort_counts()");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** {@code p}: the attribution columns' prefix; {@code utc}: the expression of the cohort's UTC day or time. */
    private static String groupExpression(FunnelQuery q, String p, String utc) {
        return switch (q.groupBy()) {
            case NONE -> "NULL::text";
            case SOURCE -> p + "source";
            case UTM_SOURCE, UTM_MEDIUM, UTM_CAMPAIGN -> "coalesce(" + p + FunnelQuery.id(q.groupBy()) + ", '(none)')";
            case DAY -> utc + "::date";
            case WEEK -> "date_trunc('week', " + utc + ")::date";
            case MONTH -> "date_trunc('month', " + utc + ")::date";
        };
    }

    private static Used used(FunnelQuery q, boolean metrics) {
        Map<String, String> filters = new LinkedHashMap<>();
        putIf(filters, "source_type", q.filters().sourceType());
        putIf(filters, "utm_source", q.filters().utmSource());
        putIf(filters, "utm_medium", q.filters().utmMedium());
        putIf(filters, "utm_campaign", q.filters().utmCampaign());
        List<Step> steps = new ArrayList<>();
        for (Stage s : q.steps()) {
            steps.add(new Step(s.name(), s.anyEvent() ? List.of("any")
                    : s.eventTypes().stream().sorted().map(EventType::id).toList()));
        }
        return new Used(q.dateFrom(), q.dateTo(), FunnelQuery.id(q.attribution()), filters,
                metrics ? FunnelQuery.id(q.groupBy()) : null, steps, FunnelQuery.id(q.order()),
                q.window() == null ? null : FunnelParameters.format(q.window()),
                q.exclude().stream().sorted().map(EventType::id).toList(),
                metrics ? FunnelParameters.format(q.histogramBin()) : null);
    }

    private static void putIf(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static LocalDate periodStart(LocalDate date, String interval) {
        return switch (interval) {
            case "day" -> date;
            case "week" -> date.minusDays(date.getDayOfWeek().getValue() - 1L);
            default -> date.withDayOfMonth(1);
        };
    }

    private static LocalDate next(LocalDate period, String interval) {
        return switch (interval) {
            case "day" -> period.plusDays(1);
            case "week" -> period.plusWeeks(1);
            default -> period.plusMonths(1);
        };
    }

    /** A share of {@code whole}, to six decimals; zero of zero is zero. */
    static double rate(long part, long whole) {
        return whole == 0 ? 0 : Math.round(part * 1_000_000.0 / whole) / 1_000_000.0;
    }

    private static Double hours(Double seconds) {
        return seconds == null ? null : Math.round(seconds / 3.6) / 1000.0;
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> binds) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < binds.size(); i++) {
            Object v = binds.get(i);
            if (v instanceof Timestamp t) {
                s.setTimestamp(i + 1, t);
            } else if (v instanceof Long l) {
                s.setLong(i + 1, l);
            } else if (v instanceof LocalDate d) {
                s.setObject(i + 1, d);
            } else if (v instanceof Integer n) {
                s.setInt(i + 1, n);
            } else if (v instanceof Object[] array) {
                String type = array instanceof Integer[] ? "integer" : array instanceof Long[] ? "bigint" : "text";
                s.setArray(i + 1, c.createArrayOf(type, array));
            } else {
                s.setString(i + 1, (String) v);
            }
        }
        return s;
    }
}
