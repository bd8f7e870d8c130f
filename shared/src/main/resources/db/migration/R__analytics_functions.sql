-- The funnel analytics functions, each in its current definition: a change to one is a change to this file,
-- which Flyway applies again (after every versioned migration) whenever its checksum changes. The versioned
-- migrations keep the tables, indexes and triggers, and the definitions as they were when each ran: V7 (the
-- lead rows), V14 (the single-event merge), V17 (the cohort rollup), V18 (updates counted by a row trigger),
-- V19 (the conversion rollup), V36 (the window rollup). A new versioned migration that needs a changed function before its own
-- statements defines it there as well; this file stays the current definition.
--
-- Only CREATE OR REPLACE: the file runs on a database where every function already exists (every database at
-- V19 or later), so it neither drops nor renames one, and a signature change belongs in a versioned migration.
-- The SQL-language functions come first: their bodies are checked when created, the later ones call them.

-- A lead's reach key, what the cohort rollup (V17) counts leads by: 16 * (default stages reached in a row, any order) + 2 * (the same, each stage at or
-- after the previous one) + (converted). The default stages, as FunnelParameters.DEFAULT_STEPS: captured (the
-- first touch), engaged (booked, registered or purchased), attended (completed or attended), signed up,
-- converted. Refunds and cancellations already voided their stage in analytics_leads.
-- (A key of every type's first-time rank, which would answer custom stages too, measured 1,159 distinct
-- values and about one rollup row per lead per campaign-day at a million events: no gain over the lead rows.)
CREATE OR REPLACE FUNCTION analytics_reach_key(cohort_at timestamptz, engaged timestamptz, attended timestamptz,
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

-- The reach key of one analytics_leads row, for the checks that compare the rollup with the lead rows.
CREATE OR REPLACE FUNCTION analytics_reach_key(a analytics_leads) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT analytics_reach_key(a.cohort_at, least(a.at_appointment_booked, a.at_event_registered, a.at_ticket_purchased),
                               least(a.at_appointment_completed, a.at_event_attended), a.at_signup_completed,
                               a.at_converted)
$$;

-- The one definition of a converted lead's duration bucket (NULL when not converted): whole days of the
-- duration FunnelSql reads, greatest(0, seconds from first touch to conversion). The CASE is needed: greatest
-- ignores a NULL, and would put every lead not converted in bucket 0.
CREATE OR REPLACE FUNCTION analytics_conversion_bucket(cohort_at timestamptz, converted timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN converted IS NOT NULL
                THEN floor(greatest(0, extract(epoch FROM converted - cohort_at)) / 86400)::integer END
$$;

-- The one definition of a lead's window buckets: for each default stage from the second (engaged, attended,
-- signed up, converted), the whole days, rounded up, of the longest duration from the first touch to it or an
-- earlier stage (NULL from the first stage not reached, in any order); then the days, rounded up, from the first
-- touch to the conversion (NULL when not converted). extract(epoch ...) is exact (numeric, microseconds). One
-- expression, which the planner inlines: the delta triggers compute it for every lead row they count.
CREATE OR REPLACE FUNCTION analytics_window_buckets(cohort_at timestamptz, engaged timestamptz, attended timestamptz,
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
CREATE OR REPLACE FUNCTION analytics_window_buckets(a analytics_leads) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT analytics_window_buckets(a.cohort_at, least(a.at_appointment_booked, a.at_event_registered, a.at_ticket_purchased),
                                    least(a.at_appointment_completed, a.at_event_attended), a.at_signup_completed,
                                    a.at_converted)
$$;

-- The rows a lead with reach key `reach` (V17) and window buckets `buckets` adds to analytics_window_counts:
-- stage k (2..5) with its bucket for every stage it reached in a row in any order, 10 + k for those it reached
-- in order, 0 for its conversion.
CREATE OR REPLACE FUNCTION analytics_window_stages(reach smallint, buckets integer[])
    RETURNS TABLE (stage smallint, bucket integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT k::smallint, buckets[k - 1] FROM generate_series(2, (reach >> 4)::integer) k
    UNION ALL
    SELECT (10 + k)::smallint, buckets[k - 1] FROM generate_series(2, ((reach >> 1) & 7)::integer) k
    UNION ALL
    SELECT 0::smallint, buckets[5] WHERE buckets[5] IS NOT NULL
$$;

-- Recomputes the analytics rows of the given leads from their events. The existing rows are locked first, in
-- id order: a concurrent writer of the same lead waits, and the recomputation that follows (a new snapshot)
-- sees what it committed, so neither overwrites the other with a stale row. A lead new to the table cannot
-- race: its lead row was created in this transaction, and any other writer waits on that row.
-- The leads are always few against a large table, and planner statistics on a fresh table can be empty: the
-- lookups must stay index lookups whatever the planner guesses, as for the touch trigger in V1. The plan is
-- planned once per connection (generic): planning the derivation anew for every statement of one event would
-- cost more than running it.
CREATE OR REPLACE FUNCTION analytics_refresh_leads(p_leads bigint[]) RETURNS void
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
AS $$
BEGIN
    PERFORM 1 FROM analytics_leads WHERE lead_id = ANY(p_leads) ORDER BY lead_id FOR UPDATE;
    INSERT INTO analytics_leads AS a
    SELECT * FROM analytics_leads_from_events WHERE lead_id = ANY(p_leads)
    ON CONFLICT (lead_id) DO UPDATE SET
        cohort_at = EXCLUDED.cohort_at,
        ft_source = EXCLUDED.ft_source, ft_utm_source = EXCLUDED.ft_utm_source,
        ft_utm_medium = EXCLUDED.ft_utm_medium, ft_utm_campaign = EXCLUDED.ft_utm_campaign,
        lt_source = EXCLUDED.lt_source, lt_utm_source = EXCLUDED.lt_utm_source,
        lt_utm_medium = EXCLUDED.lt_utm_medium, lt_utm_campaign = EXCLUDED.lt_utm_campaign, lt_at = EXCLUDED.lt_at,
        at_lead_captured = EXCLUDED.at_lead_captured, at_appointment_booked = EXCLUDED.at_appointment_booked,
        at_appointment_cancelled = EXCLUDED.at_appointment_cancelled,
        at_appointment_completed = EXCLUDED.at_appointment_completed,
        at_event_registered = EXCLUDED.at_event_registered, at_event_attended = EXCLUDED.at_event_attended,
        at_ticket_purchased = EXCLUDED.at_ticket_purchased, at_ticket_refunded = EXCLUDED.at_ticket_refunded,
        at_signup_started = EXCLUDED.at_signup_started, at_signup_completed = EXCLUDED.at_signup_completed,
        at_converted = EXCLUDED.at_converted, occurrences = EXCLUDED.occurrences;
END;
$$;

-- A statement that wrote nothing (a re-delivery, an unchanged sync page) costs one empty read.
CREATE OR REPLACE FUNCTION funnel_events_refresh_analytics() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    ids bigint[] := ARRAY(SELECT DISTINCT lead_id FROM changed_events);
BEGIN
    IF cardinality(ids) > 0 THEN
        PERFORM analytics_refresh_leads(ids);
    END IF;
    RETURN NULL;
END;
$$;

-- A lead whose last event was deleted leaves the funnel; the others are recomputed.
CREATE OR REPLACE FUNCTION funnel_events_forget_analytics() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    ids bigint[] := ARRAY(SELECT DISTINCT lead_id FROM changed_events);
BEGIN
    PERFORM analytics_refresh_leads(ids);
    DELETE FROM analytics_leads a WHERE a.lead_id = ANY(ids)
       AND NOT EXISTS (SELECT 1 FROM funnel_events e WHERE e.lead_id = a.lead_id);
    RETURN NULL;
END;
$$;

-- A statement that inserts one event (an API call, a webhook, a conversion: the most frequent write) is
-- merged into its lead's row by one upsert; a statement of several events (a batch, a sync page) recomputes
-- its leads as V7 does, once per statement. The upsert needs no lock taken beforehand: ON CONFLICT locks the
-- lead's row and reads its latest committed version, which already holds every committed event of the lead,
-- so that row + the new event is the whole lead. Where the merge cannot decide (a tie, below) the upsert
-- leaves the row alone, still locked, and the lead is recomputed by the next statement, whose snapshot is
-- taken after the lock as V7 requires.
-- It sets no planner settings, unlike V7 (each costs a save and restore per call, a sizeable part of one
-- event's write): its statements read only the transition table and one row by primary key.
CREATE OR REPLACE FUNCTION funnel_events_merge_analytics() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    n bigint;
    v_lead bigint;
    v_source text;
    v_type text;
    v_at timestamptz;
    v_utm_source text;
    v_utm_medium text;
    v_utm_campaign text;
    v_marketing boolean;
    merged int;
BEGIN
    SELECT count(*), min(lead_id), min(source_type), min(event_type), min(occurred_at), min(utm_source),
           min(utm_medium), min(utm_campaign)
      INTO n, v_lead, v_source, v_type, v_at, v_utm_source, v_utm_medium, v_utm_campaign
      FROM changed_events;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF n > 1 OR v_type IN ('ticket_purchased', 'ticket_refunded', 'appointment_booked', 'appointment_cancelled') THEN
        PERFORM analytics_refresh_leads(ARRAY(SELECT DISTINCT lead_id FROM changed_events));
        RETURN NULL;
    END IF;
    v_marketing := v_type <> 'converted';
    INSERT INTO analytics_leads AS a (lead_id, cohort_at, ft_source, ft_utm_source, ft_utm_medium, ft_utm_campaign,
                                      lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, lt_at,
                                      at_lead_captured, at_appointment_completed, at_event_registered,
                                      at_event_attended, at_signup_started, at_signup_completed, at_converted,
                                      occurrences)
    VALUES (v_lead, v_at, v_source, v_utm_source, v_utm_medium, v_utm_campaign,
            v_source, v_utm_source, v_utm_medium, v_utm_campaign, v_at,
            CASE v_type WHEN 'lead_captured' THEN v_at END,
            CASE v_type WHEN 'appointment_completed' THEN v_at END,
            CASE v_type WHEN 'event_registered' THEN v_at END,
            CASE v_type WHEN 'event_attended' THEN v_at END,
            CASE v_type WHEN 'signup_started' THEN v_at END,
            CASE v_type WHEN 'signup_completed' THEN v_at END,
            CASE v_type WHEN 'converted' THEN v_at END,
            ARRAY[(extract(epoch FROM v_at) * 1000000)::bigint * 16
                  + array_position(ARRAY['lead_captured', 'appointment_booked', 'appointment_cancelled',
                                         'appointment_completed', 'event_registered', 'event_attended',
                                         'ticket_purchased', 'ticket_refunded', 'signup_started',
                                         'signup_completed', 'converted'], v_type) - 1])
    ON CONFLICT (lead_id) DO UPDATE SET
        cohort_at       = least(a.cohort_at, v_at),
        ft_source       = CASE WHEN v_at < a.cohort_at THEN v_source ELSE a.ft_source END,
        ft_utm_source   = CASE WHEN v_at < a.cohort_at THEN v_utm_source ELSE a.ft_utm_source END,
        ft_utm_medium   = CASE WHEN v_at < a.cohort_at THEN v_utm_medium ELSE a.ft_utm_medium END,
        ft_utm_campaign = CASE WHEN v_at < a.cohort_at THEN v_utm_campaign ELSE a.ft_utm_campaign END,
        -- The last touch: the later of the row's and the event's, a marketing event beating a conversion.
        (lt_source, lt_utm_source, lt_utm_medium, lt_utm_campaign, lt_at) = (
            SELECT CASE WHEN later THEN v_source ELSE a.lt_source END,
                   CASE WHEN later THEN v_utm_source ELSE a.lt_utm_source END,
                   CASE WHEN later THEN v_utm_medium ELSE a.lt_utm_medium END,
                   CASE WHEN later THEN v_utm_campaign ELSE a.lt_utm_campaign END,
                   CASE WHEN later THEN v_at ELSE a.lt_at END
            FROM (SELECT (v_marketing, v_at) > (EXISTS (SELECT 1 FROM unnest(a.occurrences) x WHERE x & 15 <> 10),
                                                a.lt_at) AS later) l),
        at_lead_captured         = least(a.at_lead_captured, EXCLUDED.at_lead_captured),
        at_appointment_completed = least(a.at_appointment_completed, EXCLUDED.at_appointment_completed),
        at_event_registered      = least(a.at_event_registered, EXCLUDED.at_event_registered),
        at_event_attended        = least(a.at_event_attended, EXCLUDED.at_event_attended),
        at_signup_started        = least(a.at_signup_started, EXCLUDED.at_signup_started),
        at_signup_completed      = least(a.at_signup_completed, EXCLUDED.at_signup_completed),
        at_converted             = least(a.at_converted, EXCLUDED.at_converted),
        occurrences = ARRAY(SELECT x FROM unnest(a.occurrences || EXCLUDED.occurrences) x ORDER BY x)
    -- A tie with the row's first or last touch time: V7 breaks it by event id and type, which the row does
    -- not keep, so the lead is recomputed instead.
    WHERE v_at <> a.cohort_at
      AND (v_marketing, v_at) IS DISTINCT FROM
          (EXISTS (SELECT 1 FROM unnest(a.occurrences) x WHERE x & 15 <> 10), a.lt_at);
    GET DIAGNOSTICS merged = ROW_COUNT;
    IF merged = 0 THEN
        PERFORM analytics_refresh_leads(ARRAY[v_lead]);
    END IF;
    RETURN NULL;
END;
$$;

-- The delta triggers (inserts and deletes by statement, updates by row), with the stage key, the conversion
-- bucket and the window buckets. An update that changes only a conversion's time within its key still moves the lead between buckets:
-- -1 in the old, +1 in the new.
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

-- The compaction (run by the schedule, or by a read far behind), folding the same deltas into the three rollups in one
-- statement: the stage counts summed over buckets, the conversion counts per bucket (converted leads only), the
-- window counts per stage and window bucket (dimension sets none and source, V36). A reader sees a delta either
-- in the deltas or in all three rollups, never in some of them alone.
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
