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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        return database.read(c -> metrics(c, q, table));
    }

    public FunnelTrendsReport trends(Map<String, List<String>> params, LeadTable table) {
        FunnelParameters p = FunnelParameters.trendParameters(params);
        String interval = p.value("interval") == null ? "week" : p.value("interval").strip();
        if (!List.of("day", "week", "month").contains(interval)) {
            throw new InvalidFunnelQuery("interval", "interval must be one of day, week, month");
        }
        FunnelQuery q = p.query(clock, FunnelParameters.DEFAULT_TREND_WINDOW);
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
        long bin = q.histogramBin().getSeconds();
        StringBuilder sql = new StringBuilder();
        List<Object> binds = new ArrayList<>();
        FunnelSql.funnel(q, table.relation, groupExpression(q), sql, binds);
        sql.append(", m AS MATERIALIZED (SELECT g, reached, conv, secs, floor(secs / ").append(bin)
                .append(")::bigint AS bin FROM funnel)\n");
        String sets = grouped ? " GROUP BY GROUPING SETS ((g), ())" : "";
        sql.append("SELECT 'm' AS kind, ").append(grouped ? "GROUPING(g) = 1" : "true").append(" AS total, ")
                .append(grouped ? "g" : "NULL::text").append(" AS g, NULL::bigint AS bin, count(*) AS leads, ARRAY[");
        for (int k = 1; k <= n; k++) {
            sql.append(k == 1 ? "" : ", ").append("count(*) FILTER (WHERE reached >= ").append(k).append(")");
        }
        sql.append("]::bigint[] AS stages, count(*) FILTER (WHERE conv) AS conversions,")
                .append(" percentile_cont(ARRAY[0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY secs) FILTER (WHERE conv) AS pct")
                .append(" FROM m").append(sets)
                .append("\nUNION ALL SELECT 'h', ").append(grouped ? "GROUPING(g) = 1" : "true").append(", ")
                .append(grouped ? "g" : "NULL::text").append(", bin, count(*), NULL, NULL, NULL FROM m WHERE conv")
                .append(grouped ? " GROUP BY GROUPING SETS ((g, bin), (bin))" : " GROUP BY bin")
                .append("\nORDER BY 1 DESC, 2 DESC, 3, 4");

        Map<String, Metrics> groups = new LinkedHashMap<>();
        Metrics total = null;
        Map<String, List<Bin>> histograms = new TreeMap<>();
        List<Bin> totalHistogram = new ArrayList<>();
        double binHours = bin / 3600.0;
        try (PreparedStatement s = prepare(c, sql.toString(), binds); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                boolean isTotal = rs.getBoolean("total");
                String key = rs.getString("g");
                if ("m".equals(rs.getString("kind"))) {
                    Metrics m = metricsRow(q, key, rs);
                    if (isTotal) {
                        total = m;
                    } else {
                        groups.put(key, m);
                    }
                } else {
                    long b = rs.getLong("bin");
                    Bin row = new Bin(b * binHours, (b + 1) * binHours, rs.getLong("leads"));
                    (isTotal ? totalHistogram : histograms.computeIfAbsent(key, k -> new ArrayList<>())).add(row);
                }
            }
        }
        List<Metrics> withHistograms = new ArrayList<>();
        for (Metrics m : groups.values()) {
            withHistograms.add(withHistogram(m, histograms.getOrDefault(m.key(), List.of()), q));
        }
        return new FunnelMetricsReport(used(q, true), withHistogram(total, totalHistogram, q), withHistograms);
    }

    private static Metrics metricsRow(FunnelQuery q, String key, ResultSet rs) throws SQLException {
        long leads = rs.getLong("leads");
        Long[] reached = (Long[]) rs.getArray("stages").getArray();
        List<StageMetrics> stages = new ArrayList<>();
        long previous = leads;
        for (int k = 0; k < reached.length; k++) {
            long count = reached[k];
            stages.add(new StageMetrics(q.steps().get(k).name(), count, rate(count, previous),
                    rate(count, reached[0]), previous - count));
            previous = count;
        }
        long conversions = rs.getLong("conversions");
        Array pct = rs.getArray("pct");
        Double[] p = pct == null ? new Double[3] : (Double[]) pct.getArray();
        return new Metrics(key, leads, stages, conversions, rate(conversions, leads),
                new TimeToConvert(hours(p[0]), hours(p[1]), hours(p[2]), null, List.of()));
    }

    private static Metrics withHistogram(Metrics m, List<Bin> histogram, FunnelQuery q) {
        TimeToConvert t = m.timeToConvert();
        return new Metrics(m.key(), m.leads(), m.stages(), m.conversions(), m.conversionRate(),
                new TimeToConvert(t.medianHours(), t.p75Hours(), t.p90Hours(),
                        FunnelParameters.format(q.histogramBin()), List.copyOf(histogram)));
    }

    private FunnelTrendsReport trends(Connection c, FunnelQuery q, String interval, LeadTable table) throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> binds = new ArrayList<>();
        FunnelSql.funnel(q, table.relation, "(date_trunc('" + interval + "', a.cohort_at AT TIME ZONE 'UTC'))::date::text",
                sql, binds);
        int n = q.steps().size();
        sql.append("SELECT g, count(*) FILTER (WHERE reached >= 1), count(*) FILTER (WHERE reached >= ").append(n)
                .append(") FROM funnel GROUP BY g");
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
        FunnelSql.funnel(q, table.relation, "NULL::text", sql, binds);
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

    private static String groupExpression(FunnelQuery q) {
        String p = FunnelSql.prefix(q.attribution());
        String utc = "(a.cohort_at AT TIME ZONE 'UTC')";
        return switch (q.groupBy()) {
            case NONE -> "NULL::text";
            case SOURCE -> p + "source";
            case UTM_SOURCE, UTM_MEDIUM, UTM_CAMPAIGN -> "coalesce(" + p + FunnelQuery.id(q.groupBy()) + ", '(none)')";
            case DAY -> "to_char(" + utc + ", 'YYYY-MM-DD')";
            case WEEK -> "to_char(" + utc + ", 'IYYY-\"W\"IW')";
            case MONTH -> "to_char(" + utc + ", 'YYYY-MM')";
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
            } else if (v instanceof Integer n) {
                s.setInt(i + 1, n);
            } else {
                s.setString(i + 1, (String) v);
            }
        }
        return s;
    }
}
