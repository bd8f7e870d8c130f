-- Funnel analytics without reading one row per lead: a rollup of analytics_leads (V7) counting leads per cohort
-- day (UTC), attribution and the order in which the lead first reached each event type. A question with
-- order=any or order=sequential, no window and no exclusion needs nothing else of a lead (see FunnelSql), so
-- it sums a few thousand rollup rows instead of scanning the cohort's leads.
--
-- A lead's stage key ("stages"): for each event type, in EventType order (the same codes as occurrences), four
-- bits holding the dense rank of the lead's at_<type> among its first touch and all its at_ times (1: at its
-- first touch, 2: the next distinct time...; 0: never reached). Whether a stage (a set of types) is reached,
-- and whether it is reached at or after another stage, depends only on these ranks: the same comparisons on
-- the ranks give the same answers as on the times. A lead has at most 12 distinct times, so a rank fits in 4
-- bits; 11 types take 44 bits. Refunds and cancellations already voided their stage in analytics_leads.
CREATE FUNCTION analytics_stage_key(cohort_at timestamptz, times timestamptz[]) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(sum(((SELECT count(DISTINCT u) FROM unnest(cohort_at || times) u WHERE u < t) + 1) << (4 * (i - 1)::int)), 0)::bigint
    FROM unnest(times) WITH ORDINALITY x(t, i)
    WHERE t IS NOT NULL
$$;

-- The writes: append-only deltas, one row per (full key) a statement changed, with the net count (+ for leads
-- that now have the key, - for leads that had it). Ingests of the same day and source never wait on each
-- other: nothing is updated in place. Every write of analytics_leads (V7 recomputation, V14 merge, deletes)
-- goes through the triggers below, so the deltas are exact for every write path.
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
    stages          bigint NOT NULL,
    leads           bigint NOT NULL
);

-- The compacted rollup. The eight attribution columns together would make about one row per lead (sources x
-- UTM combinations x days), so the rollup keeps, per attribution, only the dimension sets a question needs
-- (dims: 1 source, 2 utm_source, 4 utm_medium, 8 utm_campaign; the others are NULL): none, each alone, and
-- source with utm_campaign. A question whose filters and breakdown need another set reads analytics_leads.
CREATE TABLE analytics_cohort_counts (
    cohort_day   date NOT NULL,
    attribution  "char" NOT NULL,  -- 'f' first touch, 'l' last touch
    dims         smallint NOT NULL,
    source       text,
    utm_source   text,
    utm_medium   text,
    utm_campaign text,
    stages       bigint NOT NULL,
    leads        bigint NOT NULL
);
CREATE INDEX analytics_cohort_counts_idx ON analytics_cohort_counts (attribution, dims, cohort_day);

CREATE FUNCTION analytics_leads_count_cohorts() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO analytics_cohort_deltas
        SELECT (cohort_at AT TIME ZONE 'UTC')::date, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
               lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, k, count(*)
        FROM (SELECT n.*, analytics_stage_key(n.cohort_at, ARRAY[n.at_lead_captured, n.at_appointment_booked,
                     n.at_appointment_cancelled, n.at_appointment_completed, n.at_event_registered, n.at_event_attended,
                     n.at_ticket_purchased, n.at_ticket_refunded, n.at_signup_started, n.at_signup_completed,
                     n.at_converted]) AS k FROM new_rows n) x
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO analytics_cohort_deltas
        SELECT (cohort_at AT TIME ZONE 'UTC')::date, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
               lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, k, -count(*)
        FROM (SELECT o.*, analytics_stage_key(o.cohort_at, ARRAY[o.at_lead_captured, o.at_appointment_booked,
                     o.at_appointment_cancelled, o.at_appointment_completed, o.at_event_registered, o.at_event_attended,
                     o.at_ticket_purchased, o.at_ticket_refunded, o.at_signup_started, o.at_signup_completed,
                     o.at_converted]) AS k FROM old_rows o) x
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
    ELSE
        -- An update whose key did not change (a repeated event, a later time of a type already reached at the
        -- same rank) nets to zero and writes nothing.
        INSERT INTO analytics_cohort_deltas
        SELECT cohort_day, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
               lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, k, sum(d)
        FROM (SELECT (n.cohort_at AT TIME ZONE 'UTC')::date AS cohort_day, n.ft_source, n.ft_utm_source,
                     n.ft_utm_medium, n.ft_utm_campaign, n.lt_source, n.lt_utm_source, n.lt_utm_medium,
                     n.lt_utm_campaign, analytics_stage_key(n.cohort_at, ARRAY[n.at_lead_captured,
                     n.at_appointment_booked, n.at_appointment_cancelled, n.at_appointment_completed,
                     n.at_event_registered, n.at_event_attended, n.at_ticket_purchased, n.at_ticket_refunded,
                     n.at_signup_started, n.at_signup_completed, n.at_converted]) AS k, 1 AS d FROM new_rows n
              UNION ALL
              SELECT (o.cohort_at AT TIME ZONE 'UTC')::date, o.ft_source, o.ft_utm_source, o.ft_utm_medium,
                     o.ft_utm_campaign, o.lt_source, o.lt_utm_source, o.lt_utm_medium, o.lt_utm_campaign,
                     analytics_stage_key(o.cohort_at, ARRAY[o.at_lead_captured, o.at_appointment_booked,
                     o.at_appointment_cancelled, o.at_appointment_completed, o.at_event_registered,
                     o.at_event_attended, o.at_ticket_purchased, o.at_ticket_refunded, o.at_signup_started,
                     o.at_signup_completed, o.at_converted]), -1 FROM old_rows o) x
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
        HAVING sum(d) <> 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER analytics_leads_cohorts_insert
    AFTER INSERT ON analytics_leads REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_leads_count_cohorts();
CREATE TRIGGER analytics_leads_cohorts_update
    AFTER UPDATE ON analytics_leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_leads_count_cohorts();
CREATE TRIGGER analytics_leads_cohorts_delete
    AFTER DELETE ON analytics_leads REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_leads_count_cohorts();

-- Folds the deltas into the rollup: every day that has deltas is rewritten as one row per key (its rollup rows
-- plus its deltas, summed; keys that net to zero disappear). Idempotent: a second run finds no deltas and
-- changes nothing. Safe against concurrent writes: it deletes only the deltas its snapshot sees, so a delta
-- committed meanwhile stays for the next run, and a reader sees either the deltas or the rows they were folded
-- into (one commit). Compactions take turns on an advisory lock. Returns the number of deltas folded.
CREATE FUNCTION analytics_compact_cohort_counts() RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    folded bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('analytics_compact_cohort_counts'));
    WITH d AS (DELETE FROM analytics_cohort_deltas RETURNING *),
    days AS (SELECT DISTINCT cohort_day FROM d),
    old AS (DELETE FROM analytics_cohort_counts c USING days WHERE c.cohort_day = days.cohort_day RETURNING c.*),
    touches AS (
        SELECT cohort_day, 'f'::"char" AS attribution, ft_source AS source, ft_utm_source AS utm_source,
               ft_utm_medium AS utm_medium, ft_utm_campaign AS utm_campaign, stages, leads FROM d
        UNION ALL
        SELECT cohort_day, 'l'::"char", lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, stages, leads FROM d),
    fresh AS (
        SELECT t.cohort_day, t.attribution, m.dims,
               CASE WHEN m.dims & 1 <> 0 THEN t.source END AS source,
               CASE WHEN m.dims & 2 <> 0 THEN t.utm_source END AS utm_source,
               CASE WHEN m.dims & 4 <> 0 THEN t.utm_medium END AS utm_medium,
               CASE WHEN m.dims & 8 <> 0 THEN t.utm_campaign END AS utm_campaign,
               t.stages, t.leads
        FROM touches t CROSS JOIN (VALUES (0::smallint), (1::smallint), (2::smallint), (4::smallint), (8::smallint),
                                          (9::smallint)) m(dims)),
    ins AS (
        INSERT INTO analytics_cohort_counts
        SELECT cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, stages, sum(leads)
        FROM (SELECT * FROM fresh UNION ALL SELECT * FROM old) x
        GROUP BY cohort_day, attribution, dims, source, utm_source, utm_medium, utm_campaign, stages
        HAVING sum(leads) <> 0)
    SELECT count(*) INTO folded FROM d;
    RETURN folded;
END;
$$;

-- The leads stored before this migration.
INSERT INTO analytics_cohort_deltas
SELECT (cohort_at AT TIME ZONE 'UTC')::date, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
       lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign,
       analytics_stage_key(cohort_at, ARRAY[at_lead_captured, at_appointment_booked, at_appointment_cancelled,
                           at_appointment_completed, at_event_registered, at_event_attended, at_ticket_purchased,
                           at_ticket_refunded, at_signup_started, at_signup_completed, at_converted]),
       count(*)
FROM analytics_leads
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
SELECT analytics_compact_cohort_counts();
