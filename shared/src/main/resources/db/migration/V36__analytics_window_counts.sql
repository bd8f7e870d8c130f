-- Funnel analytics, fourth step: conversion windows from a rollup, exact. Measured before this migration (the
-- analytics benchmark at ten million events), a question with a window read every lead row of its cohort:
-- 1.3 s for a two-year breakdown by month with a 14-day window, 1.9 s with a 90-day window by source, 0.5 s for
-- a year of weekly trends (trends always have a window).
--
-- With the default stages, a lead counts at stage k within a window W when it reached stages 2..k (in a row, in
-- either order) and each of them at most W after its first touch: when the longest of those durations is at
-- most W. That longest duration, rounded up to whole days, is the lead's *window bucket* of stage k; a window of
-- n whole days then counts exactly the leads whose bucket is at most n (a duration of exactly n days is in
-- bucket n and counts, as "exactly at the window counts"; a second more is in bucket n + 1). The same for the
-- conversion (converted at most W after the first touch).
--
-- The cohort rollup's deltas (V17) now also carry a lead's buckets (window_buckets: stages 2 to 5 of the default
-- funnel, then the conversion); compaction folds them, in the same statement as the other two rollups, into
-- analytics_window_counts: leads per cohort period x attribution x dimension set x stage x bucket, where a stage
-- is 2..5 (any order), 12..15 (sequential: the same buckets, up to the stage the lead reached in order), or 0
-- (the conversion). Dimension sets kept: none and source (what windows and trends are asked with; a window
-- with another filter or breakdown reads the lead rows). A window that is not a whole number of days reads the
-- lead rows too.

-- The one definition of a lead's window buckets: for each default stage from the second (engaged, attended,
-- signed up, converted), the whole days, rounded up, of the longest duration from the first touch to it or an
-- earlier stage (NULL from the first stage not reached, in any order); then the days, rounded up, from the first
-- touch to the conversion (NULL when not converted). extract(epoch ...) is exact (numeric, microseconds). One
-- expression, which the planner inlines: the delta triggers compute it for every lead row they count.
CREATE FUNCTION analytics_window_buckets(cohort_at timestamptz, engaged timestamptz, attended timestamptz,
                                         signed_up timestamptz, converted timestamptz) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT ARRAY[ceil(extract(epoch FROM engaged - cohort_at) / 86400)::integer,
                 CASE WHEN engaged IS NOT NULL AND attended IS NOT NULL
                      THEN ceil(extract(epoch FROM greatest(engaged, attended) - cohort_at) / 86400)::integer END,
                 CASE WHEN engaged IS NOT NULL AND attended IS NOT NULL AND signed_up IS NOT NULL
                      THEN ceil(extract(epoch FROM greatest(engaged, attended, signed_up) - cohort_at) / 86400)::integer END,
                 CASE WHEN engaged IS NOT NULL AND attended IS NOT NULL AND signed_up IS NOT NULL AND converted IS NOT NULL
                      THEN ceil(extract(epoch FROM greatest(engaged, attended, signed_up, converted) - cohort_at)
                                / 86400)::integer END,
                 ceil(extract(epoch FROM converted - cohort_at) / 86400)::integer]
$$;

-- The window buckets of one analytics_leads row (the stages as analytics_reach_key(analytics_leads) reads them).
CREATE FUNCTION analytics_window_buckets(a analytics_leads) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT analytics_window_buckets(a.cohort_at, least(a.at_appointment_booked, a.at_event_registered, a.at_ticket_purchased),
                                    least(a.at_appointment_completed, a.at_event_attended), a.at_signup_completed,
                                    a.at_converted)
$$;

-- The rows a lead with reach key `reach` (V17) and window buckets `buckets` adds to analytics_window_counts:
-- stage k (2..5) with its bucket for every stage it reached in a row in any order, 10 + k for those it reached
-- in order, 0 for its conversion.
CREATE FUNCTION analytics_window_stages(reach smallint, buckets integer[])
    RETURNS TABLE (stage smallint, bucket integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT k::smallint, buckets[k - 1] FROM generate_series(2, (reach >> 4)::integer) k
    UNION ALL
    SELECT (10 + k)::smallint, buckets[k - 1] FROM generate_series(2, ((reach >> 1) & 7)::integer) k
    UNION ALL
    SELECT 0::smallint, buckets[5] WHERE buckets[5] IS NOT NULL
$$;

-- An event write locks analytics_leads (its upsert) before analytics_cohort_deltas (the delta trigger); this
-- migration takes them in the same order (as V19 does).
LOCK TABLE analytics_leads IN SHARE ROW EXCLUSIVE MODE;

-- Deltas written before this migration carry no window buckets: fold them first (the compaction as it stands,
-- which knows no window), then every delta has them, and the backfill below counts every lead row.
SELECT analytics_compact_cohort_counts();
ALTER TABLE analytics_cohort_deltas ADD COLUMN window_buckets integer[];

CREATE TABLE analytics_window_counts (
    grain        "char" NOT NULL,
    cohort_day   date NOT NULL,
    attribution  "char" NOT NULL,
    dims         smallint NOT NULL,
    source       text,
    utm_source   text,
    utm_medium   text,
    utm_campaign text,
    stage        smallint NOT NULL,
    bucket       integer NOT NULL,
    leads        bigint NOT NULL
);
-- Covering, as V19's: a question reads its range's rows of the stages it needs (trends: the last alone) by
-- index-only scan.
CREATE INDEX analytics_window_counts_idx ON analytics_window_counts (attribution, dims, grain, stage, cohort_day)
    INCLUDE (source, bucket, leads);

-- The delta triggers, now with the window buckets (an update that moves a lead between window buckets writes
-- -1 in the old, +1 in the new), and the compaction, now folding the deltas into the window rollup too, in the
-- same statement as the other two (R__analytics_functions.sql holds the current definitions).
CREATE OR REPLACE FUNCTION analytics_leads_count_inserted() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO analytics_cohort_deltas
    SELECT (n.cohort_at AT TIME ZONE 'UTC')::date, n.ft_source, n.ft_utm_source, n.ft_utm_medium, n.ft_utm_campaign,
           n.lt_source, n.lt_utm_source, n.lt_utm_medium, n.lt_utm_campaign, analytics_reach_key(n) AS reach,
           count(*), analytics_conversion_bucket(n.cohort_at, n.at_converted), analytics_window_buckets(n)
    FROM new_rows n
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION analytics_leads_count_deleted() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO analytics_cohort_deltas
    SELECT (o.cohort_at AT TIME ZONE 'UTC')::date, o.ft_source, o.ft_utm_source, o.ft_utm_medium, o.ft_utm_campaign,
           o.lt_source, o.lt_utm_source, o.lt_utm_medium, o.lt_utm_campaign, analytics_reach_key(o) AS reach,
           -count(*), analytics_conversion_bucket(o.cohort_at, o.at_converted), analytics_window_buckets(o)
    FROM old_rows o
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION analytics_leads_count_updated() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    old_key smallint := analytics_reach_key(OLD);
    new_key smallint := analytics_reach_key(NEW);
    old_bucket integer := analytics_conversion_bucket(OLD.cohort_at, OLD.at_converted);
    new_bucket integer := analytics_conversion_bucket(NEW.cohort_at, NEW.at_converted);
    old_windows integer[] := analytics_window_buckets(OLD);
    new_windows integer[] := analytics_window_buckets(NEW);
BEGIN
    IF old_key = new_key AND old_bucket IS NOT DISTINCT FROM new_bucket AND old_windows IS NOT DISTINCT FROM new_windows
       AND (OLD.cohort_at AT TIME ZONE 'UTC')::date = (NEW.cohort_at AT TIME ZONE 'UTC')::date
       AND (OLD.ft_source, OLD.ft_utm_source, OLD.ft_utm_medium, OLD.ft_utm_campaign,
            OLD.lt_source, OLD.lt_utm_source, OLD.lt_utm_medium, OLD.lt_utm_campaign)
           IS NOT DISTINCT FROM
           (NEW.ft_source, NEW.ft_utm_source, NEW.ft_utm_medium, NEW.ft_utm_campaign,
            NEW.lt_source, NEW.lt_utm_source, NEW.lt_utm_medium, NEW.lt_utm_campaign) THEN
        RETURN NULL;
    END IF;
    INSERT INTO analytics_cohort_deltas
    VALUES ((OLD.cohort_at AT TIME ZONE 'UTC')::date, OLD.ft_source, OLD.ft_utm_source, OLD.ft_utm_medium,
            OLD.ft_utm_campaign, OLD.lt_source, OLD.lt_utm_source, OLD.lt_utm_medium, OLD.lt_utm_campaign,
            old_key, -1, old_bucket, old_windows),
           ((NEW.cohort_at AT TIME ZONE 'UTC')::date, NEW.ft_source, NEW.ft_utm_source, NEW.ft_utm_medium,
            NEW.ft_utm_campaign, NEW.lt_source, NEW.lt_utm_source, NEW.lt_utm_medium, NEW.lt_utm_campaign,
            new_key, 1, new_bucket, new_windows);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION analytics_compact_cohort_counts() RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    folded bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('analytics_compact_cohort_counts'));
    WITH d AS (DELETE FROM analytics_cohort_deltas RETURNING *),
    periods AS (SELECT DISTINCT 'd'::"char" AS grain, cohort_day FROM d
                UNION SELECT DISTINCT 'm'::"char", date_trunc('month', cohort_day::timestamp)::date FROM d),
    old AS (DELETE FROM analytics_cohort_counts c USING periods p
            WHERE c.grain = p.grain AND c.cohort_day = p.cohort_day RETURNING c.*),
    old_conversions AS (DELETE FROM analytics_conversion_counts c USING periods p
            WHERE c.grain = p.grain AND c.cohort_day = p.cohort_day RETURNING c.*),
    old_windows AS (DELETE FROM analytics_window_counts c USING periods p
            WHERE c.grain = p.grain AND c.cohort_day = p.cohort_day RETURNING c.*),
    touches AS (
        SELECT cohort_day, 'f'::"char" AS attribution, ft_source AS source, ft_utm_source AS utm_source,
               ft_utm_medium AS utm_medium, ft_utm_campaign AS utm_campaign, reach, conversion_bucket,
               window_buckets, leads FROM d
        UNION ALL
        SELECT cohort_day, 'l'::"char", lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, reach,
               conversion_bucket, window_buckets, leads FROM d),
    fresh AS (
        SELECT g.grain,
               CASE g.grain WHEN 'm' THEN date_trunc('month', t.cohort_day::timestamp)::date ELSE t.cohort_day END
                   AS cohort_day,
               t.attribution, m.dims,
               CASE WHEN m.dims & 1 <> 0 THEN t.source END AS source,
               CASE WHEN m.dims & 2 <> 0 THEN t.utm_source END AS utm_source,
               CASE WHEN m.dims & 4 <> 0 THEN t.utm_medium END AS utm_medium,
               CASE WHEN m.dims & 8 <> 0 THEN t.utm_campaign END AS utm_campaign,
               t.reach, t.conversion_bucket, t.window_buckets, t.leads
        FROM touches t
        CROSS JOIN (VALUES ('d'::"char"), ('m'::"char")) g(grain)
        CROSS JOIN (VALUES (0::smallint), (1::smallint), (2::smallint), (4::smallint), (8::smallint),
                           (9::smallint)) m(dims)),
    ins AS (
        INSERT INTO analytics_cohort_counts
        SELECT grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, reach, sum(leads)
        FROM (SELECT grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, reach, leads
              FROM fresh
              UNION ALL SELECT * FROM old) x
        GROUP BY grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, reach
        HAVING sum(leads) <> 0),
    ins_conversions AS (
        INSERT INTO analytics_conversion_counts
        SELECT grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, bucket, sum(leads)
        FROM (SELECT grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign,
                     conversion_bucket AS bucket, leads
              FROM fresh WHERE conversion_bucket IS NOT NULL
              UNION ALL SELECT * FROM old_conversions) x
        GROUP BY grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, bucket
        HAVING sum(leads) <> 0),
    ins_windows AS (
        INSERT INTO analytics_window_counts
        SELECT grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, stage, bucket,
               sum(leads)
        FROM (SELECT f.grain, f.cohort_day, f.attribution, f.dims, f.source, f.utm_source, f.utm_medium,
                     f.utm_campaign, s.stage, s.bucket, f.leads
              FROM fresh f CROSS JOIN LATERAL analytics_window_stages(f.reach, f.window_buckets) s
              WHERE f.dims IN (0, 1)
              UNION ALL SELECT * FROM old_windows) x
        GROUP BY grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, stage, bucket
        HAVING sum(leads) <> 0)
    SELECT count(*) INTO folded FROM d;
    RETURN folded;
END;
$$;

-- The lead rows stored before this migration, counted directly (the compaction below, R__analytics_functions.sql,
-- folds later deltas into the same rows).
INSERT INTO analytics_window_counts
WITH days AS (
    -- Per day, attribution and source first: the month rows and the rows of no dimension are sums of these.
    SELECT (a.cohort_at AT TIME ZONE 'UTC')::date AS cohort_day, t.attribution, t.source, s.stage, s.bucket,
           count(*) AS leads
    FROM analytics_leads a
    CROSS JOIN LATERAL analytics_window_stages(analytics_reach_key(a), analytics_window_buckets(a)) s
    CROSS JOIN LATERAL (VALUES ('f'::"char", a.ft_source), ('l'::"char", a.lt_source)) t(attribution, source)
    GROUP BY 1, 2, 3, 4, 5)
SELECT g.grain, CASE g.grain WHEN 'm' THEN date_trunc('month', d.cohort_day::timestamp)::date ELSE d.cohort_day END,
       d.attribution, m.dims, CASE WHEN m.dims & 1 <> 0 THEN d.source END, NULL, NULL, NULL, d.stage, d.bucket,
       sum(d.leads)
FROM days d
CROSS JOIN (VALUES ('d'::"char"), ('m'::"char")) g(grain)
CROSS JOIN (VALUES (0::smallint), (1::smallint)) m(dims)
GROUP BY 1, 2, 3, 4, 5, 9, 10;

ANALYZE analytics_window_counts;
