-- Funnel analytics, third step: time to convert from a rollup, exact. Measured before this migration (the
-- analytics benchmark), time to convert was what remained of the cost of a rollup question: percentile_cont
-- and the histogram over every converted lead of the cohort, read from V17's covering index (about 323,000
-- leads for two years at ten million events, 0.7 to 1.7 s).
--
-- Now the cohort rollup's deltas (V17) also carry each converted lead's duration bucket: the whole days from
-- its first touch to its conversion. Compaction folds them into analytics_conversion_counts, the converted
-- leads per cohort period x attribution x dimension set x bucket. A percentile's rank is located in its bucket
-- from those counts, and only that bucket's exact durations are read, from an index keyed by (bucket, cohort
-- time) that holds the attribution columns; a histogram whose bin is a whole number of days is summed from
-- the counts alone. The same triggers write these deltas in the same statement as the stage counts' deltas,
-- so every write path (API, batch, sync, webhook, conversion, update, delete, a late event moving a lead
-- between cohorts, a refund or a deleted conversion undoing one) moves a lead's bucket exactly.

-- The one definition of a converted lead's duration bucket (NULL when not converted): whole days of the
-- duration FunnelSql reads, greatest(0, seconds from first touch to conversion). The CASE is needed: greatest
-- ignores a NULL, and would put every lead not converted in bucket 0.
CREATE FUNCTION analytics_conversion_bucket(cohort_at timestamptz, converted timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN converted IS NOT NULL
                THEN floor(greatest(0, extract(epoch FROM converted - cohort_at)) / 86400)::integer END
$$;

-- An event write locks analytics_leads (its upsert) before analytics_cohort_deltas (the delta trigger); this
-- migration takes them in the same order, so a write arriving while it runs waits for it instead of the two
-- deadlocking (the ALTER below locks the deltas, the CREATE INDEX further down needs analytics_leads).
LOCK TABLE analytics_leads IN SHARE ROW EXCLUSIVE MODE;

-- Deltas written before this migration carry no bucket: fold them first, then every delta has one.
SELECT analytics_compact_cohort_counts();
ALTER TABLE analytics_cohort_deltas ADD COLUMN conversion_bucket integer;

-- The compacted conversion rollup, at the grains and dimension sets of analytics_cohort_counts (V17), one row
-- per bucket a key has converted leads in.
CREATE TABLE analytics_conversion_counts (
    grain        "char" NOT NULL,
    cohort_day   date NOT NULL,
    attribution  "char" NOT NULL,
    dims         smallint NOT NULL,
    source       text,
    utm_source   text,
    utm_medium   text,
    utm_campaign text,
    bucket       integer NOT NULL,
    leads        bigint NOT NULL
);
-- Covering: a two-year breakdown by campaign sums some 18,000 month rows at a million events, which a bitmap heap
-- scan read in 56 ms (EXPLAIN ANALYZE) and an index-only scan reads without visiting the table.
CREATE INDEX analytics_conversion_counts_idx ON analytics_conversion_counts (attribution, dims, grain, cohort_day)
    INCLUDE (source, utm_source, utm_medium, utm_campaign, bucket, leads);

-- The exact durations of one bucket for a cohort range, by index-only scan. V17's covering index stays: it
-- answers time to convert for the questions the rollup cannot (a window, filters with a breakdown it does not
-- keep together).
CREATE INDEX analytics_leads_conversion_bucket_idx
    ON analytics_leads (analytics_conversion_bucket(cohort_at, at_converted), cohort_at)
    INCLUDE (at_converted, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
             lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign)
    WHERE at_converted IS NOT NULL;

-- The delta triggers of V17 (inserts, deletes) and V18 (updates), now with the bucket. An update that changes
-- only a conversion's time within its key still moves the lead between buckets: -1 in the old, +1 in the new.
CREATE OR REPLACE FUNCTION analytics_leads_count_inserted() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO analytics_cohort_deltas
    SELECT (n.cohort_at AT TIME ZONE 'UTC')::date, n.ft_source, n.ft_utm_source, n.ft_utm_medium, n.ft_utm_campaign,
           n.lt_source, n.lt_utm_source, n.lt_utm_medium, n.lt_utm_campaign, analytics_reach_key(n) AS reach,
           count(*), analytics_conversion_bucket(n.cohort_at, n.at_converted)
    FROM new_rows n
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12;
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
           -count(*), analytics_conversion_bucket(o.cohort_at, o.at_converted)
    FROM old_rows o
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12;
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
BEGIN
    IF old_key = new_key AND old_bucket IS NOT DISTINCT FROM new_bucket
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
            old_key, -1, old_bucket),
           ((NEW.cohort_at AT TIME ZONE 'UTC')::date, NEW.ft_source, NEW.ft_utm_source, NEW.ft_utm_medium,
            NEW.ft_utm_campaign, NEW.lt_source, NEW.lt_utm_source, NEW.lt_utm_medium, NEW.lt_utm_campaign,
            new_key, 1, new_bucket);
    RETURN NULL;
END;
$$;

-- V17's compaction, folding the same deltas into both rollups in one statement: the stage counts summed over
-- buckets, the conversion counts per bucket (converted leads only). A reader sees a delta either in the deltas
-- or in both rollups, never in one of them alone.
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
    touches AS (
        SELECT cohort_day, 'f'::"char" AS attribution, ft_source AS source, ft_utm_source AS utm_source,
               ft_utm_medium AS utm_medium, ft_utm_campaign AS utm_campaign, reach, conversion_bucket, leads FROM d
        UNION ALL
        SELECT cohort_day, 'l'::"char", lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, reach,
               conversion_bucket, leads FROM d),
    fresh AS (
        SELECT g.grain,
               CASE g.grain WHEN 'm' THEN date_trunc('month', t.cohort_day::timestamp)::date ELSE t.cohort_day END
                   AS cohort_day,
               t.attribution, m.dims,
               CASE WHEN m.dims & 1 <> 0 THEN t.source END AS source,
               CASE WHEN m.dims & 2 <> 0 THEN t.utm_source END AS utm_source,
               CASE WHEN m.dims & 4 <> 0 THEN t.utm_medium END AS utm_medium,
               CASE WHEN m.dims & 8 <> 0 THEN t.utm_campaign END AS utm_campaign,
               t.reach, t.conversion_bucket, t.leads
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
        HAVING sum(leads) <> 0)
    SELECT count(*) INTO folded FROM d;
    RETURN folded;
END;
$$;

-- The converted leads stored before this migration, as deltas of the conversion rollup alone: each lead once
-- with its bucket and once without, which nets to zero in the stage counts.
INSERT INTO analytics_cohort_deltas
SELECT (cohort_at AT TIME ZONE 'UTC')::date, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
       lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, analytics_reach_key(a), s.leads,
       CASE WHEN s.leads > 0 THEN analytics_conversion_bucket(cohort_at, at_converted) END
FROM analytics_leads a CROSS JOIN (VALUES (1), (-1)) s(leads)
WHERE at_converted IS NOT NULL;
SELECT analytics_compact_cohort_counts();
