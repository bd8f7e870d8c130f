package com.engarde.signupsync.analytics;

import com.engarde.signupsync.analytics.FunnelQuery.Attribution;
import com.engarde.signupsync.analytics.FunnelQuery.Order;
import com.engarde.signupsync.analytics.FunnelQuery.Stage;
import com.engarde.signupsync.funnel.EventType;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * The SQL of a funnel question over one row per lead (the maintained table, or the same rows derived from raw
 * events at request time). Every value the caller gave is a bind parameter; only validated numbers, enum
 * codes and column names are written into the text.
 *
 * <p>The chain ends in {@code funnel}: one row per lead of the cohort that no exclusion removed, with its
 * group key {@code g}, {@code reached} (how many stages it reached, in a row from the first), {@code conv}
 * (converted, within the window of its first touch when there is one) and {@code secs} (first touch to
 * conversion, in seconds).
 */
final class FunnelSql {

    private FunnelSql() {
    }

    /**
     * A converted lead's time to convert in seconds, never negative: the one duration every time-to-convert answer
     * reads. V19's analytics_conversion_bucket(cohort_at, at_converted) is its whole days, in SQL;
     * FunnelTimeToConvertTest and FunnelPropertyTest put conversions on the bucket edges, where the two must agree.
     */
    static String secondsToConvert(String alias) {
        return "greatest(0, extract(epoch FROM " + alias + ".at_converted - " + alias + ".cohort_at))::float8";
    }

    static String prefix(Attribution attribution) {
        return attribution == Attribution.FIRST_TOUCH ? "a.ft_" : "a.lt_";
    }

    /** Appends the WITH chain to {@code sql} and its bind values to {@code binds}; optionally converted leads only. */
    static void funnel(FunnelQuery q, String table, String groupExpression, boolean convertedOnly, StringBuilder sql,
                       List<Object> binds) {
        String p = prefix(q.attribution());
        List<Stage> steps = q.steps();
        int n = steps.size();
        sql.append("WITH base AS (SELECT a.*, ").append(groupExpression).append(" AS g");
        for (int k = 1; k <= n; k++) {
            sql.append(", ").append(stageTime(steps.get(k - 1))).append(" AS t").append(k);
        }
        sql.append(" FROM ").append(table).append(" a WHERE a.cohort_at >= ? AND a.cohort_at < ?");
        binds.add(Timestamp.from(q.dateFrom().atStartOfDay(ZoneOffset.UTC).toInstant()));
        binds.add(Timestamp.from(q.dateTo().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        if (convertedOnly) {
            sql.append(" AND a.at_converted IS NOT NULL");
        }
        filters(q, p, sql, binds);
        sql.append("), ");
        reach(q, sql);
        sql.append(", funnel AS (SELECT r.*, ");
        sql.append("(r.at_converted IS NOT NULL");
        if (q.window() != null) {
            sql.append(" AND r.at_converted <= r.cohort_at + ").append(interval(q));
        }
        sql.append(") AS conv, ").append(secondsToConvert("r")).append(" AS secs FROM reach r");
        if (!q.exclude().isEmpty()) {
            String codes = q.exclude().stream().map(t -> String.valueOf(t.ordinal())).sorted()
                    .collect(Collectors.joining(", "));
            // A function (V37), not an inline EXISTS: a correlated subquery would keep the scan on one core.
            sql.append(" WHERE NOT (r.reached >= 2 AND ").append(mayHaveExcluded(q.exclude(), n))
                    .append(" AND analytics_occurred_between(r.occurrences, ARRAY[").append(codes)
                    .append("]::bigint[], ").append(micros(spanEnd("least", n))).append(", ")
                    .append(micros(spanEnd("greatest", n))).append("))");
        }
        sql.append(")\n");
    }

    /**
     * The same chain over the cohort rollup (V17), for the default stages without window or exclusion: rows of
     * {@code analytics_cohort_counts} with dimension set {@code dims} (month rows for the months the range
     * covers whole, unless {@code days}: day rows only), plus the deltas not yet compacted. Each row stands for
     * {@code leads} leads (negative for a delta that took leads from a key). {@code funnel} then has, per row,
     * {@code g}, {@code leads}, {@code reached} and {@code conv}, read from the row's reach key.
     */
    static void rollup(FunnelQuery q, int dims, boolean days, String groupExpression, StringBuilder sql,
                       List<Object> binds) {
        rollupRows(q, dims, days, "a", "analytics_cohort_counts", "reach", "reach", "true", sql, binds);
        sql.append(", funnel AS (SELECT a.leads, ").append(groupExpression).append(" AS g, ")
                .append(q.order() == Order.SEQUENTIAL ? "(a.reach >> 1) & 7" : "a.reach >> 4")
                .append(" AS reached, (a.reach & 1) = 1 AS conv FROM a)\n");
    }

    /**
     * The same over the conversion rollup (V19), whose rows count the cohort's converted leads per duration
     * bucket: the chain ends in {@code buckets}, with {@code g}, {@code bucket} and {@code leads}, summed per group
     * and bucket.
     */
    static void conversionRollup(FunnelQuery q, int dims, boolean days, String groupExpression, StringBuilder sql,
                                 List<Object> binds) {
        rollupRows(q, dims, days, "a", "analytics_conversion_counts", "bucket", "conversion_bucket",
                "conversion_bucket IS NOT NULL", sql, binds);
        sql.append(", buckets AS (SELECT ").append(groupExpression).append(" AS g, a.bucket, sum(a.leads) AS leads")
                .append(" FROM a GROUP BY 1, 2 HAVING sum(a.leads) <> 0)\n");
    }

    /**
     * The same chain over the cohort rollup (V17) and the window rollup (V36), for the default stages with a
     * window of {@code days} whole days, without exclusion: {@code funnel} has, per row, {@code g}, {@code leads}
     * and {@code stage}: NULL for a cohort rollup row (its leads are the cohort's and reach the first stage),
     * else the window rollup's stage code ({@link #windowStage}) of a row whose leads reached that stage within the
     * window (window bucket at most {@code windowDays}), of the stage codes {@code stages} only.
     */
    static void windowRollup(FunnelQuery q, int dims, boolean days, long windowDays, List<Integer> stages,
                             String groupExpression, StringBuilder sql, List<Object> binds) {
        rollupRows(q, dims, days, "a", "analytics_cohort_counts", "reach", "reach", "true", sql, binds);
        sql.append(", ");
        String within = "stage IN (" + stages.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + ") AND bucket <= " + windowDays;
        rollupRows(q, dims, days, "w", "analytics_window_counts", "stage, bucket",
                "s.stage, s.bucket", within, sql, binds);
        sql.append(", funnel AS (SELECT a.leads, ").append(groupExpression).append(" AS g, NULL::smallint AS stage FROM a")
                .append(" UNION ALL SELECT a.leads, ").append(groupExpression).append(" AS g, a.stage FROM w a)\n");
    }

    /**
     * The window rollup's code (V36) of default stage {@code k} (2..5) in {@code order}, or of the conversion
     * ({@code k} 0).
     */
    static int windowStage(Order order, int k) {
        return k == 0 || order == Order.ANY ? k : 10 + k;
    }

    /**
     * {@code name}: the rollup rows of {@code table} with dimension set {@code dims} for {@code q}'s range and
     * filters (month rows for the months the range covers whole, unless {@code days}), plus the deltas not yet
     * compacted that {@code deltaCondition} selects; {@code column} is the rollup's key column(s), {@code deltaColumn}
     * the deltas' column(s) for it. For the window rollup (table analytics_window_counts), the deltas are expanded
     * into their stages ({@code s}, by analytics_window_stages) and {@code deltaCondition} also selects the
     * compacted rows.
     */
    private static void rollupRows(FunnelQuery q, int dims, boolean days, String name, String table, String column,
                                   String deltaColumn, String deltaCondition, StringBuilder sql, List<Object> binds) {
        String p = q.attribution() == Attribution.FIRST_TOUCH ? "ft_" : "lt_";
        boolean windows = table.equals("analytics_window_counts");
        String counts = "SELECT cohort_day, source, utm_source, utm_medium, utm_campaign, " + column + ", leads"
                + " FROM " + table + " WHERE " + (windows ? deltaCondition + " AND " : "") + "attribution = '"
                + (q.attribution() == Attribution.FIRST_TOUCH ? 'f' : 'l') + "' AND dims = " + dims + " AND grain = ";
        LocalDate end = q.dateTo().plusDays(1);
        LocalDate monthsFrom = q.dateFrom().getDayOfMonth() == 1 ? q.dateFrom() : q.dateFrom().withDayOfMonth(1).plusMonths(1);
        LocalDate monthsTo = end.withDayOfMonth(1);
        sql.append(name.equals("a") ? "WITH " : "").append(name).append(" AS (");
        if (days || !monthsFrom.isBefore(monthsTo)) {
            sql.append(counts).append("'d'");
            rollupRange(sql, binds, q, "", q.dateFrom(), end);
        } else {
            sql.append(counts).append("'m'");
            rollupRange(sql, binds, q, "", monthsFrom, monthsTo);
            sql.append(" UNION ALL ").append(counts).append("'d'");
            rollupRange(sql, binds, q, "", q.dateFrom(), monthsFrom);
            sql.append(" UNION ALL ").append(counts).append("'d'");
            rollupRange(sql, binds, q, "", monthsTo, end);
        }
        sql.append(" UNION ALL SELECT cohort_day, ").append(p).append("source, ").append(p).append("utm_source, ")
                .append(p).append("utm_medium, ").append(p).append("utm_campaign, ").append(deltaColumn)
                .append(", leads FROM analytics_cohort_deltas")
                .append(windows ? " CROSS JOIN LATERAL analytics_window_stages(reach, window_buckets) s" : "")
                .append(" WHERE ").append(deltaCondition);
        rollupRange(sql, binds, q, p, q.dateFrom(), end);
        sql.append(")");
    }

    /**
     * The exact durations at given ranks within given duration buckets (V19): {@code wanted} holds, per wanted
     * value, its group (null for the total), bucket and 0-based rank among the group's converted leads of that
     * bucket (ordered by duration). Reads only those buckets' converted leads of the cohort, from
     * analytics_leads_conversion_bucket_idx (keyed by bucket and cohort time). A group that is a cohort
     * {@code period} (day, week, month; else null) reads its own bucket and period alone: a two-year breakdown by
     * day has some 730 groups, whose buckets together would be nearly every converted lead. Answers g, bucket,
     * rank and secs.
     */
    static void bucketValues(FunnelQuery q, String groupExpression, String period, List<String> groups,
                             List<Integer> buckets, List<Long> ranks, StringBuilder sql, List<Object> binds) {
        String p = prefix(q.attribution());
        String bucket = "analytics_conversion_bucket(a.cohort_at, a.at_converted)";
        String secs = secondsToConvert("a");
        Timestamp from = Timestamp.from(q.dateFrom().atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp to = Timestamp.from(q.dateTo().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        List<Integer> shared = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (period == null || groups.get(i) == null) {
                shared.add(buckets.get(i));
            }
        }
        sql.append("WITH wanted AS (SELECT * FROM unnest(?::text[], ?::integer[], ?::bigint[]) w(g, bucket, k)),")
                .append(" v AS MATERIALIZED (SELECT (").append(groupExpression).append(")::text AS g, ").append(bucket)
                .append(" AS bucket, ").append(secs).append(" AS secs FROM analytics_leads a WHERE a.at_converted IS NOT NULL AND ")
                .append(bucket).append(" = ANY(?::integer[]) AND a.cohort_at >= ? AND a.cohort_at < ?");
        binds.add(groups.toArray(new String[0]));
        binds.add(buckets.toArray(new Integer[0]));
        binds.add(ranks.toArray(new Long[0]));
        binds.add(shared.stream().distinct().toArray(Integer[]::new));
        binds.add(from);
        binds.add(to);
        filters(q, p, sql, binds);
        sql.append("), ranked AS (SELECT NULL AS g, v.bucket, v.secs,")
                .append(" row_number() OVER (PARTITION BY v.bucket ORDER BY v.secs) - 1 AS k")
                .append(" FROM v WHERE v.bucket IN (SELECT bucket FROM wanted WHERE g IS NULL)");
        if (period == null) {
            sql.append(" UNION ALL SELECT v.g, v.bucket, v.secs, row_number() OVER (PARTITION BY v.g, v.bucket ORDER BY v.secs) - 1")
                    .append(" FROM v WHERE (v.g, v.bucket) IN (SELECT g, bucket FROM wanted WHERE g IS NOT NULL)");
        }
        sql.append(") SELECT DISTINCT r.g, r.bucket, r.k, r.secs FROM ranked r JOIN wanted w")
                .append(" ON w.g IS NOT DISTINCT FROM r.g AND w.bucket = r.bucket AND w.k = r.k");
        if (period != null) {
            String start = "(w.g::date::timestamp AT TIME ZONE 'UTC')";
            String end = "((w.g::date + interval '1 " + period + "') AT TIME ZONE 'UTC')";
            sql.append(" UNION ALL SELECT w.g, w.bucket, w.k, x.secs FROM wanted w CROSS JOIN LATERAL (SELECT ").append(secs)
                    .append(" AS secs FROM analytics_leads a WHERE a.at_converted IS NOT NULL AND ").append(bucket)
                    .append(" = w.bucket AND a.cohort_at >= greatest(?, ").append(start).append(") AND a.cohort_at < least(?, ")
                    .append(end).append(")");
            binds.add(from);
            binds.add(to);
            filters(q, p, sql, binds);
            sql.append(" ORDER BY 1 OFFSET w.k LIMIT 1) x WHERE w.g IS NOT NULL");
        }
    }

    /**
     * The cohort's converted leads per group (g) whose duration is in bucket {@code edge} (V19) and within the
     * window: those converted exactly {@code edge} whole days after their first touch, read from
     * analytics_leads_conversion_bucket_idx.
     */
    static void windowEdge(FunnelQuery q, String groupExpression, int edge, StringBuilder sql, List<Object> binds) {
        sql.append("SELECT (").append(groupExpression).append(")::text AS g, count(*) FROM analytics_leads a")
                .append(" WHERE a.at_converted IS NOT NULL AND analytics_conversion_bucket(a.cohort_at, a.at_converted) = ")
                .append(edge).append(" AND a.cohort_at >= ? AND a.cohort_at < ? AND a.at_converted <= a.cohort_at + ")
                .append(interval(q));
        binds.add(Timestamp.from(q.dateFrom().atStartOfDay(ZoneOffset.UTC).toInstant()));
        binds.add(Timestamp.from(q.dateTo().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        filters(q, prefix(q.attribution()), sql, binds);
        sql.append(" GROUP BY 1");
    }

    private static void filters(FunnelQuery q, String p, StringBuilder sql, List<Object> binds) {
        filter(sql, binds, p + "source", q.filters().sourceType());
        filter(sql, binds, p + "utm_source", q.filters().utmSource());
        filter(sql, binds, p + "utm_medium", q.filters().utmMedium());
        filter(sql, binds, p + "utm_campaign", q.filters().utmCampaign());
    }

    /**
     * {@code funnel} for time to convert when there is no exclusion (which alone makes a lead's stages matter
     * here): the cohort's converted leads (within the window, if any), with {@code g}, {@code secs} and
     * {@code conv}, read from the covering index of converted leads alone (V17), without the lead rows.
     */
    static void conversions(FunnelQuery q, String groupExpression, StringBuilder sql, List<Object> binds) {
        String p = prefix(q.attribution());
        sql.append("WITH funnel AS MATERIALIZED (SELECT ").append(groupExpression).append(" AS g, true AS conv,")
                .append(' ').append(secondsToConvert("a")).append(" AS secs")
                .append(" FROM analytics_leads a WHERE a.cohort_at >= ? AND a.cohort_at < ? AND a.at_converted IS NOT NULL");
        binds.add(Timestamp.from(q.dateFrom().atStartOfDay(ZoneOffset.UTC).toInstant()));
        binds.add(Timestamp.from(q.dateTo().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        if (q.window() != null) {
            sql.append(" AND a.at_converted <= a.cohort_at + ").append(interval(q));
        }
        filters(q, p, sql, binds);
        sql.append(")\n");
    }

    /** Whether {@code q}'s stages are the default ones, whose reach the rollup keys hold (V17). */
    static boolean defaultStages(FunnelQuery q) {
        List<Stage> steps = q.steps();
        if (steps.size() != FunnelParameters.DEFAULT_STEPS.size()) {
            return false;
        }
        for (int k = 0; k < steps.size(); k++) {
            if (!steps.get(k).eventTypes().equals(FunnelParameters.DEFAULT_STEPS.get(k).eventTypes())) {
                return false;
            }
        }
        return true;
    }

    /** Cohort days from {@code from} (included) to {@code to} (excluded), and the filters. */
    private static void rollupRange(StringBuilder sql, List<Object> binds, FunnelQuery q, String p, LocalDate from,
                                    LocalDate to) {
        sql.append(" AND cohort_day >= ? AND cohort_day < ?");
        binds.add(from);
        binds.add(to);
        filters(q, p, sql, binds);
    }

    /**
     * {@code reach}: {@code base} with how many stages each row reached, in a row from the first: stage k counts
     * when t<i>k</i> is set (at or after t<i>k-1</i> for sequential order, within the window of t1 if any).
     */
    private static void reach(FunnelQuery q, StringBuilder sql) {
        int n = q.steps().size();
        sql.append("reach AS (SELECT b.*, CASE WHEN t1 IS NULL THEN 0");
        for (int k = 2; k <= n; k++) {
            sql.append(" WHEN NOT (t").append(k).append(" IS NOT NULL");
            if (q.order() == Order.SEQUENTIAL) {
                sql.append(" AND t").append(k).append(" >= t").append(k - 1);
            }
            if (q.window() != null) {
                sql.append(" AND t").append(k).append(" <= t1 + ").append(interval(q));
            }
            sql.append(") THEN ").append(k - 1);
        }
        sql.append(" ELSE ").append(n).append(" END AS reached FROM base b)");
    }

    /** When the lead first reached the stage: its first touch for "any event", else its first of the types. */
    private static String stageTime(Stage stage) {
        if (stage.anyEvent()) {
            return "a.cohort_at";
        }
        List<EventType> types = stage.eventTypes().stream().sorted().toList();
        if (types.size() == 1) {
            return "a.at_" + types.get(0).id();
        }
        StringJoiner least = new StringJoiner(", ", "least(", ")");
        types.forEach(t -> least.add("a.at_" + t.id()));
        return least.toString();
    }

    /** The earliest (or latest) of the times of the stages the lead reached. */
    private static String spanEnd(String function, int n) {
        StringBuilder s = new StringBuilder("CASE r.reached");
        for (int r = 2; r <= n; r++) {
            s.append(" WHEN ").append(r).append(" THEN ").append(function).append("(r.t1");
            for (int k = 2; k <= r; k++) {
                s.append(", r.t").append(k);
            }
            s.append(")");
        }
        return s.append(" END").toString();
    }

    /**
     * A condition true for every lead that may have done one of {@code exclude} before the last of its stages'
     * first times, so that only those leads' occurrences are read: a type's first time (at_<i>type</i>) is its
     * earliest occurrence, so a lead whose first time of each excluded type is unset, or not before that span's
     * end, did none inside the span. Purchases and bookings have no such column (theirs leave out the refunded and
     * cancelled ones): excluding one of them reads every lead's occurrences.
     */
    private static String mayHaveExcluded(Set<EventType> exclude, int n) {
        if (exclude.contains(EventType.TICKET_PURCHASED) || exclude.contains(EventType.APPOINTMENT_BOOKED)) {
            return "true";
        }
        // Timestamps compared as they are (microseconds, as the occurrences are), and the span's end computed only
        // for a lead that did the type at all: most leads did none, and this runs for every lead of the cohort.
        String end = spanEnd("greatest", n);
        return exclude.stream().sorted().map(t -> "r.at_" + t.id())
                .map(at -> "(" + at + " IS NOT NULL AND " + at + " < " + end + ")")
                .collect(Collectors.joining(" OR ", "(", ")"));
    }

    private static String micros(String timestamp) {
        return "(extract(epoch FROM " + timestamp + ") * 1000000)::bigint";
    }

    private static String interval(FunnelQuery q) {
        return "interval '" + q.window().getSeconds() + " seconds'";
    }

    private static void filter(StringBuilder sql, List<Object> binds, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            binds.add(value);
        }
    }
}
