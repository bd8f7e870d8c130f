-- Funnel analytics without reading one row per lead: a rollup of analytics_leads (V7) counting leads per cohort
-- period (UTC day, and month), attribution and how far the lead got in the default funnel. A question on the
-- default stages with no window and no exclusion (order any or sequential) needs nothing else of a lead, so it
-- sums a few thousand rollup rows instead of scanning the cohort's leads.
--
-- A lead's reach key: 16 * (default stages reached in a row, any order) + 2 * (the same, each stage at or
-- after the previous one) + (converted). The default stages, as FunnelParameters.DEFAULT_STEPS: captured (the
-- first touch), engaged (booked, registered or purchased), attended (completed or attended), signed up,
-- converted. Refunds and cancellations already voided their stage in analytics_leads.
-- (A key of every type's first-time rank, which would answer custom stages too, measured 1,159 distinct
-- values and about one rollup row per lead per campaign-day at a million events: no gain over the lead rows.)
CREATE FUNCTION analytics_reach_key(cohort_at timestamptz, engaged timestamptz, attended timestamptz,
                                    signed_up timestamptz, converted timestamptz) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (16 * CASE WHEN engaged IS NULL THEN 1 WHEN attended IS NULL THEN 2 WHEN signed_up IS NULL THEN 3
                      WHEN converted IS NULL THEN 4 ELSE 5 END
            + 2 * CASE WHEN engaged IS NULL THEN 1 WHEN attended IS NULL OR attended < engaged THEN 2
                       WHEN signed_up IS NULL OR signed_up < attended THEN 3
                       WHEN converted IS NULL OR converted < signed_up THEN 4 ELSE 5 END
            + CASE WHEN converted IS NULL THEN 0 ELSE 1 END)::smallint
$$;

-- The writes: append-only deltas, one row per key a statement changed, with the net count (+ for leads that now
-- have the key, - for leads that had it). Ingests of the same day and source never wait on each other: nothing
-- is updated in place. Every write of analytics_leads (V7's recomputation, V14's merge, deletes) fires the
-- triggers below, so the deltas follow every write path: API single and batch, sync pages, webhooks,
-- conversions, updates, deletes, a late event moving a lead to another cohort day.
CREATE TABLE analytics_cohort_deltas (
    cohort_day      date NOT NULL,
    ft_source       text NOT NULL,
    ft_utm_source   text,
    ft_utm_medium   text,
    ft_utm_campaign text,
    lt_source       text NOT NULL,
    lt_utm_source   text,
    lt_utm_medium   text,
    lt_utm_campaign text,
    reach           smallint NOT NULL,
    leads           bigint NOT NULL
);

-- The compacted rollup, per grain ('d': cohort_day is the day; 'm': the first day of the month, the sum of its
-- days) so that a two-year question sums months and only its partial months' days. The eight attribution
-- columns together would make about one row per lead (7 sources x 1,200 UTM combinations x days), and a
-- question filters and groups on one attribution only: the rollup keeps, per attribution, the dimension sets
-- questions need (dims: 1 source, 2 utm_source, 4 utm_medium, 8 utm_campaign; the others NULL): none, each
-- alone, and source with utm_campaign. A question needing another set reads analytics_leads.
CREATE TABLE analytics_cohort_counts (
    grain        "char" NOT NULL,
    cohort_day   date NOT NULL,
    attribution  "char" NOT NULL,  -- 'f' first touch, 'l' last touch
    dims         smallint NOT NULL,
    source       text,
    utm_source   text,
    utm_medium   text,
    utm_campaign text,
    reach        smallint NOT NULL,
    leads        bigint NOT NULL
);
CREATE INDEX analytics_cohort_counts_idx ON analytics_cohort_counts (attribution, dims, grain, cohort_day);

-- A trigger with transition tables has one event: one function per event. An update that left a lead's key
-- alone (a repeated event, a later occurrence, a time change within its stages' order) nets to zero: no delta.
CREATE FUNCTION analytics_leads_count_updated() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO analytics_cohort_deltas
    SELECT cohort_day, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
           lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, reach, sum(d)
    FROM (SELECT (n.cohort_at AT TIME ZONE 'UTC')::date AS cohort_day, n.ft_source, n.ft_utm_source, n.ft_utm_medium,
                 n.ft_utm_campaign, n.lt_source, n.lt_utm_source, n.lt_utm_medium, n.lt_utm_campaign,
                 analytics_reach_key(n.cohort_at, least(n.at_appointment_booked, n.at_event_registered,
                     n.at_ticket_purchased), least(n.at_appointment_completed, n.at_event_attended),
                     n.at_signup_completed, n.at_converted) AS reach, 1 AS d
          FROM new_rows n
          UNION ALL
          SELECT (o.cohort_at AT TIME ZONE 'UTC')::date, o.ft_source, o.ft_utm_source, o.ft_utm_medium,
                 o.ft_utm_campaign, o.lt_source, o.lt_utm_source, o.lt_utm_medium, o.lt_utm_campaign,
                 analytics_reach_key(o.cohort_at, least(o.at_appointment_booked, o.at_event_registered,
                     o.at_ticket_purchased), least(o.at_appointment_completed, o.at_event_attended),
                     o.at_signup_completed, o.at_converted), -1
          FROM old_rows o) x
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    HAVING sum(d) <> 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION analytics_leads_count_inserted() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO analytics_cohort_deltas
    SELECT (n.cohort_at AT TIME ZONE 'UTC')::date, n.ft_source, n.ft_utm_source, n.ft_utm_medium, n.ft_utm_campaign,
           n.lt_source, n.lt_utm_source, n.lt_utm_medium, n.lt_utm_campaign,
           analytics_reach_key(n.cohort_at, least(n.at_appointment_booked, n.at_event_registered, n.at_ticket_purchased),
                               least(n.at_appointment_completed, n.at_event_attended), n.at_signup_completed,
                               n.at_converted) AS reach, count(*)
    FROM new_rows n
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
    RETURN NULL;
END;
$$;

CREATE FUNCTION analytics_leads_count_deleted() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO analytics_cohort_deltas
    SELECT (o.cohort_at AT TIME ZONE 'UTC')::date, o.ft_source, o.ft_utm_source, o.ft_utm_medium, o.ft_utm_campaign,
           o.lt_source, o.lt_utm_source, o.lt_utm_medium, o.lt_utm_campaign,
           analytics_reach_key(o.cohort_at, least(o.at_appointment_booked, o.at_event_registered, o.at_ticket_purchased),
                               least(o.at_appointment_completed, o.at_event_attended), o.at_signup_completed,
                               o.at_converted) AS reach, -count(*)
    FROM old_rows o
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
    RETURN NULL;
END;
$$;

CREATE TRIGGER analytics_leads_cohorts_insert
    AFTER INSERT ON analytics_leads REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_leads_count_inserted();
CREATE TRIGGER analytics_leads_cohorts_update
    AFTER UPDATE ON analytics_leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_leads_count_updated();
CREATE TRIGGER analytics_leads_cohorts_delete
    AFTER DELETE ON analytics_leads REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_leads_count_deleted();

-- Folds the deltas into the rollup: every day that has deltas, and its month, is rewritten as one row per key
-- (its rollup rows plus its deltas, summed; keys that net to zero disappear). Idempotent: a second run finds
-- no deltas and changes nothing. Safe against concurrent writes: it deletes only the deltas its snapshot sees,
-- so a delta committed meanwhile stays for the next run, and a reader sees either the deltas or the rows they
-- were folded into (one commit). Compactions take turns on an advisory lock. Returns the deltas folded.
CREATE FUNCTION analytics_compact_cohort_counts() RETURNS bigint
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
    touches AS (
        SELECT cohort_day, 'f'::"char" AS attribution, ft_source AS source, ft_utm_source AS utm_source,
               ft_utm_medium AS utm_medium, ft_utm_campaign AS utm_campaign, reach, leads FROM d
        UNION ALL
        SELECT cohort_day, 'l'::"char", lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, reach, leads FROM d),
    fresh AS (
        SELECT g.grain,
               CASE g.grain WHEN 'm' THEN date_trunc('month', t.cohort_day::timestamp)::date ELSE t.cohort_day END
                   AS cohort_day,
               t.attribution, m.dims,
               CASE WHEN m.dims & 1 <> 0 THEN t.source END AS source,
               CASE WHEN m.dims & 2 <> 0 THEN t.utm_source END AS utm_source,
               CASE WHEN m.dims & 4 <> 0 THEN t.utm_medium END AS utm_medium,
               CASE WHEN m.dims & 8 <> 0 THEN t.utm_campaign END AS utm_campaign,
               t.reach, t.leads
        FROM touches t
        CROSS JOIN (VALUES ('d'::"char"), ('m'::"char")) g(grain)
        CROSS JOIN (VALUES (0::smallint), (1::smallint), (2::smallint), (4::smallint), (8::smallint),
                           (9::smallint)) m(dims)),
    ins AS (
        INSERT INTO analytics_cohort_counts
        SELECT grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, reach, sum(leads)
        FROM (SELECT * FROM fresh UNION ALL SELECT * FROM old) x
        GROUP BY grain, cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, reach
        HAVING sum(leads) <> 0)
    SELECT count(*) INTO folded FROM d;
    RETURN folded;
END;
$$;

-- The leads stored before this migration.
INSERT INTO analytics_cohort_deltas
SELECT (cohort_at AT TIME ZONE 'UTC')::date, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
       lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign,
       analytics_reach_key(cohort_at, least(at_appointment_booked, at_event_registered, at_ticket_purchased),
                           least(at_appointment_completed, at_event_attended), at_signup_completed, at_converted),
       count(*)
FROM analytics_leads
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
SELECT analytics_compact_cohort_counts();

-- Time to convert reads the cohort's converted leads only, with their attribution for filters and groups: an
-- index holding exactly that answers it by index-only scan, without visiting the lead rows (it replaces V7's
-- partial index on cohort_at, which it contains).
CREATE INDEX analytics_leads_conversions_idx ON analytics_leads (cohort_at)
    INCLUDE (at_converted, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
             lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign)
    WHERE at_converted IS NOT NULL;
DROP INDEX analytics_leads_converted_idx;
