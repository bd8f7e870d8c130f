-- The funnel write path, a new lead written once (issue 29: the write path paid for each new lead twice).
--
-- write_funnel_events (V34) inserted a new lead without touches, and the touch trigger then rewrote the row
-- (not a HOT update: leads_first_touch_idx) to set its first and last touch. Here the event ids are drawn
-- before the insert, so a lead created by the write is inserted with its touches already set: the earliest and
-- the latest of its marketing events in the call, by time then id, as the trigger would set them. The trigger
-- still runs over the statement's events and finds nothing to change for such a lead; a lead that existed is
-- updated by it as before. The touches of a lead that existed are never written by the upsert.
--
-- A call of one event (an API call, a webhook: the most frequent write) no longer runs the set-wise statement
-- built for a batch: four short statements (the stored event by key, the lead's upsert, its id if unchanged, the
-- event's insert), each a lookup or an insert by a unique index, without planner settings to save and restore.
--
-- A lead created here whose event was then not inserted (a concurrent transaction committed an event with the
-- same key, for another person, between the key's lookup and the insert) would carry the touch of an event
-- that does not exist: whenever fewer events were written than given, funnel_leads_retouch_created puts it
-- right.

-- The leads of these emails created in this transaction (created_at is its start) whose first or last touch
-- names no stored event get their touches recomputed from their events: a lead written with the touch of an
-- event that was then not inserted (see write_funnel_events).
CREATE FUNCTION funnel_leads_retouch_created(p_emails text[]) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE leads l SET
        (first_touch_event_id, first_touch_source, first_touch_at, first_touch_utm_source, first_touch_utm_medium,
         first_touch_utm_campaign, first_touch_utm_term, first_touch_utm_content) =
            (SELECT e.id, e.source_type, e.occurred_at, e.utm_source, e.utm_medium, e.utm_campaign, e.utm_term,
                    e.utm_content
             FROM funnel_events e WHERE e.lead_id = l.id AND e.event_type <> 'converted'
             ORDER BY e.occurred_at, e.id LIMIT 1),
        (last_touch_event_id, last_touch_source, last_touch_at, last_touch_utm_source, last_touch_utm_medium,
         last_touch_utm_campaign, last_touch_utm_term, last_touch_utm_content) =
            (SELECT e.id, e.source_type, e.occurred_at, e.utm_source, e.utm_medium, e.utm_campaign, e.utm_term,
                    e.utm_content
             FROM funnel_events e WHERE e.lead_id = l.id AND e.event_type <> 'converted'
             ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1),
        updated_at = now()
    WHERE l.email = ANY(p_emails)
      AND l.created_at = now()
      AND ((l.first_touch_event_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM funnel_events e WHERE e.id = l.first_touch_event_id))
        OR (l.last_touch_event_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM funnel_events e WHERE e.id = l.last_touch_event_id)));
END;
$$;

-- A call of several events: one statement (V34's, with the touches of the leads it creates).
CREATE FUNCTION write_funnel_events_set(p_emails text[], p_first_names text[], p_last_names text[],
                                               p_phones text[], p_sources text[], p_types text[],
                                               p_external_ids text[], p_occurred timestamptz[],
                                               p_utm_sources text[], p_utm_media text[], p_utm_campaigns text[],
                                               p_utm_terms text[], p_utm_contents text[], p_data jsonb[])
RETURNS TABLE (w_event_id bigint, w_lead_id bigint, w_source text, w_external_id text, w_type text,
               w_created_at timestamptz)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
    written bigint;
BEGIN
    RETURN QUERY
    WITH input AS (
        SELECT *
        FROM unnest(p_emails, p_first_names, p_last_names, p_phones, p_sources, p_types, p_external_ids, p_occurred,
                    p_utm_sources, p_utm_media, p_utm_campaigns, p_utm_terms, p_utm_contents, p_data)
             WITH ORDINALITY AS i(email, first_name, last_name, phone, source_type, event_type, external_id,
                                  occurred_at, utm_source, utm_medium, utm_campaign, utm_term, utm_content,
                                  event_data, ord)
    ),
    -- The lookup by key must be the unique index's (V34).
    fresh AS MATERIALIZED (
        SELECT i.*
        FROM input i
        LEFT JOIN LATERAL (SELECT 1 AS found FROM funnel_events e
                           WHERE e.source_type = i.source_type AND e.external_id = i.external_id
                             AND e.event_type = i.event_type COLLATE "C"
                           LIMIT 1) s ON true
        WHERE s.found IS NULL
    ),
    -- Each new event's id, drawn in the call's order (the order the insert used to number them in).
    numbered AS MATERIALIZED (
        SELECT f.*, nextval('funnel_events_id_seq') AS event_id
        FROM (SELECT * FROM fresh ORDER BY ord) f
    ),
    -- Per person: the last name and phone given, and the touches its events would give a lead created here.
    people AS MATERIALIZED (
        SELECT n.email,
               (array_agg(n.first_name ORDER BY n.ord DESC) FILTER (WHERE n.first_name IS NOT NULL))[1] AS first_name,
               (array_agg(n.last_name ORDER BY n.ord DESC) FILTER (WHERE n.last_name IS NOT NULL))[1] AS last_name,
               (array_agg(n.phone ORDER BY n.ord DESC) FILTER (WHERE n.phone IS NOT NULL))[1] AS phone,
               (array_agg(n.event_id ORDER BY n.occurred_at, n.event_id) FILTER (WHERE n.event_type <> 'converted'))[1] AS f_event_id,
               (array_agg(n.source_type ORDER BY n.occurred_at, n.event_id) FILTER (WHERE n.event_type <> 'converted'))[1] AS f_source_type,
               (array_agg(n.occurred_at ORDER BY n.occurred_at, n.event_id) FILTER (WHERE n.event_type <> 'converted'))[1] AS f_occurred_at,
               (array_agg(n.utm_source ORDER BY n.occurred_at, n.event_id) FILTER (WHERE n.event_type <> 'converted'))[1] AS f_utm_source,
               (array_agg(n.utm_medium ORDER BY n.occurred_at, n.event_id) FILTER (WHERE n.event_type <> 'converted'))[1] AS f_utm_medium,
               (array_agg(n.utm_campaign ORDER BY n.occurred_at, n.event_id) FILTER (WHERE n.event_type <> 'converted'))[1] AS f_utm_campaign,
               (array_agg(n.utm_term ORDER BY n.occurred_at, n.event_id) FILTER (WHERE n.event_type <> 'converted'))[1] AS f_utm_term,
               (array_agg(n.utm_content ORDER BY n.occurred_at, n.event_id) FILTER (WHERE n.event_type <> 'converted'))[1] AS f_utm_content,
               (array_agg(n.event_id ORDER BY n.occurred_at DESC, n.event_id DESC) FILTER (WHERE n.event_type <> 'converted'))[1] AS l_event_id,
               (array_agg(n.source_type ORDER BY n.occurred_at DESC, n.event_id DESC) FILTER (WHERE n.event_type <> 'converted'))[1] AS l_source_type,
               (array_agg(n.occurred_at ORDER BY n.occurred_at DESC, n.event_id DESC) FILTER (WHERE n.event_type <> 'converted'))[1] AS l_occurred_at,
               (array_agg(n.utm_source ORDER BY n.occurred_at DESC, n.event_id DESC) FILTER (WHERE n.event_type <> 'converted'))[1] AS l_utm_source,
               (array_agg(n.utm_medium ORDER BY n.occurred_at DESC, n.event_id DESC) FILTER (WHERE n.event_type <> 'converted'))[1] AS l_utm_medium,
               (array_agg(n.utm_campaign ORDER BY n.occurred_at DESC, n.event_id DESC) FILTER (WHERE n.event_type <> 'converted'))[1] AS l_utm_campaign,
               (array_agg(n.utm_term ORDER BY n.occurred_at DESC, n.event_id DESC) FILTER (WHERE n.event_type <> 'converted'))[1] AS l_utm_term,
               (array_agg(n.utm_content ORDER BY n.occurred_at DESC, n.event_id DESC) FILTER (WHERE n.event_type <> 'converted'))[1] AS l_utm_content
        FROM numbered n
        GROUP BY n.email
    ),
    upserted AS (
        INSERT INTO leads AS l (email, first_name, last_name, phone,
                                first_touch_event_id, first_touch_source, first_touch_at, first_touch_utm_source,
                                first_touch_utm_medium, first_touch_utm_campaign, first_touch_utm_term,
                                first_touch_utm_content,
                                last_touch_event_id, last_touch_source, last_touch_at, last_touch_utm_source,
                                last_touch_utm_medium, last_touch_utm_campaign, last_touch_utm_term,
                                last_touch_utm_content)
        SELECT p.email, p.first_name, p.last_name, p.phone,
               p.f_event_id, p.f_source_type, p.f_occurred_at, p.f_utm_source, p.f_utm_medium, p.f_utm_campaign,
               p.f_utm_term, p.f_utm_content,
               p.l_event_id, p.l_source_type, p.l_occurred_at, p.l_utm_source, p.l_utm_medium, p.l_utm_campaign,
               p.l_utm_term, p.l_utm_content
        FROM people p ORDER BY p.email COLLATE "C"
        ON CONFLICT (email) DO UPDATE SET
            first_name = COALESCE(EXCLUDED.first_name, l.first_name),
            last_name  = COALESCE(EXCLUDED.last_name, l.last_name),
            phone      = COALESCE(EXCLUDED.phone, l.phone),
            updated_at = now()
        WHERE (EXCLUDED.first_name IS NOT NULL AND EXCLUDED.first_name IS DISTINCT FROM l.first_name)
           OR (EXCLUDED.last_name IS NOT NULL AND EXCLUDED.last_name IS DISTINCT FROM l.last_name)
           OR (EXCLUDED.phone IS NOT NULL AND EXCLUDED.phone IS DISTINCT FROM l.phone)
        RETURNING l.id, l.email
    ),
    -- Each email's lead id, as one object computed once (V34).
    upserted_ids AS MATERIALIZED (
        SELECT COALESCE(jsonb_object_agg(u.email, u.id), '{}'::jsonb) AS ids FROM upserted u
    ),
    lead_ids AS MATERIALIZED (
        SELECT m.ids || COALESCE((SELECT jsonb_object_agg(p.email, s.id)
                                  FROM people p
                                  CROSS JOIN LATERAL (SELECT l.id FROM leads l WHERE l.email = p.email LIMIT 1) s
                                  WHERE NOT m.ids ? p.email), '{}'::jsonb) AS ids
        FROM upserted_ids m
    ),
    inserted AS (
        INSERT INTO funnel_events AS e (id, lead_id, source_type, event_type, external_id, occurred_at,
                                        utm_source, utm_medium, utm_campaign, utm_term, utm_content, event_data)
        OVERRIDING SYSTEM VALUE
        SELECT n.event_id, (d.ids ->> n.email)::bigint, n.source_type, n.event_type, n.external_id, n.occurred_at,
               n.utm_source, n.utm_medium, n.utm_campaign, n.utm_term, n.utm_content, n.event_data
        FROM numbered n
        CROSS JOIN lead_ids d
        WHERE d.ids ? n.email
        ORDER BY n.ord
        ON CONFLICT (source_type, external_id, event_type) DO NOTHING
        RETURNING e.id, e.lead_id, e.source_type, e.external_id, e.event_type, e.created_at
    )
    SELECT * FROM inserted;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written < cardinality(p_emails) THEN
        PERFORM funnel_leads_retouch_created(p_emails);
    END IF;
END;
$$;

-- The touch trigger (V34), changing a lead only where a new event is earlier than its first touch or later than
-- its last, by time then event id: the order the touches are defined by (V1). A lead written here with its
-- touches is left alone (its touches are its new events), where V34's rule (a last touch at the same time was
-- replaced) rewrote it. The one difference elsewhere: of two events at the same time, the one with the greater
-- id is the last touch even when it was committed first (V34 took the one written last).
CREATE OR REPLACE FUNCTION funnel_events_update_touches() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    n bigint;
    v_id bigint;
    v_lead bigint;
    v_source text;
    v_at timestamptz;
    v_utm_source text;
    v_utm_medium text;
    v_utm_campaign text;
    v_utm_term text;
    v_utm_content text;
    saved_hashjoin text;
    saved_mergejoin text;
    saved_seqscan text;
BEGIN
    -- Of one row, min() is that row's value.
    SELECT count(*), min(id), min(lead_id), min(source_type), min(occurred_at), min(utm_source), min(utm_medium),
           min(utm_campaign), min(utm_term), min(utm_content)
      INTO n, v_id, v_lead, v_source, v_at, v_utm_source, v_utm_medium, v_utm_campaign, v_utm_term, v_utm_content
      FROM new_events WHERE event_type <> 'converted';
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF n = 1 THEN
        UPDATE leads l SET
            first_touch_event_id     = CASE WHEN (l.first_touch_at IS NULL OR (v_at, v_id) < (l.first_touch_at, l.first_touch_event_id)) THEN v_id ELSE l.first_touch_event_id END,
            first_touch_source       = CASE WHEN (l.first_touch_at IS NULL OR (v_at, v_id) < (l.first_touch_at, l.first_touch_event_id)) THEN v_source ELSE l.first_touch_source END,
            first_touch_utm_source   = CASE WHEN (l.first_touch_at IS NULL OR (v_at, v_id) < (l.first_touch_at, l.first_touch_event_id)) THEN v_utm_source ELSE l.first_touch_utm_source END,
            first_touch_utm_medium   = CASE WHEN (l.first_touch_at IS NULL OR (v_at, v_id) < (l.first_touch_at, l.first_touch_event_id)) THEN v_utm_medium ELSE l.first_touch_utm_medium END,
            first_touch_utm_campaign = CASE WHEN (l.first_touch_at IS NULL OR (v_at, v_id) < (l.first_touch_at, l.first_touch_event_id)) THEN v_utm_campaign ELSE l.first_touch_utm_campaign END,
            first_touch_utm_term     = CASE WHEN (l.first_touch_at IS NULL OR (v_at, v_id) < (l.first_touch_at, l.first_touch_event_id)) THEN v_utm_term ELSE l.first_touch_utm_term END,
            first_touch_utm_content  = CASE WHEN (l.first_touch_at IS NULL OR (v_at, v_id) < (l.first_touch_at, l.first_touch_event_id)) THEN v_utm_content ELSE l.first_touch_utm_content END,
            first_touch_at           = CASE WHEN (l.first_touch_at IS NULL OR (v_at, v_id) < (l.first_touch_at, l.first_touch_event_id)) THEN v_at ELSE l.first_touch_at END,
            last_touch_event_id      = CASE WHEN (l.last_touch_at IS NULL OR (v_at, v_id) > (l.last_touch_at, l.last_touch_event_id)) THEN v_id ELSE l.last_touch_event_id END,
            last_touch_source        = CASE WHEN (l.last_touch_at IS NULL OR (v_at, v_id) > (l.last_touch_at, l.last_touch_event_id)) THEN v_source ELSE l.last_touch_source END,
            last_touch_utm_source    = CASE WHEN (l.last_touch_at IS NULL OR (v_at, v_id) > (l.last_touch_at, l.last_touch_event_id)) THEN v_utm_source ELSE l.last_touch_utm_source END,
            last_touch_utm_medium    = CASE WHEN (l.last_touch_at IS NULL OR (v_at, v_id) > (l.last_touch_at, l.last_touch_event_id)) THEN v_utm_medium ELSE l.last_touch_utm_medium END,
            last_touch_utm_campaign  = CASE WHEN (l.last_touch_at IS NULL OR (v_at, v_id) > (l.last_touch_at, l.last_touch_event_id)) THEN v_utm_campaign ELSE l.last_touch_utm_campaign END,
            last_touch_utm_term      = CASE WHEN (l.last_touch_at IS NULL OR (v_at, v_id) > (l.last_touch_at, l.last_touch_event_id)) THEN v_utm_term ELSE l.last_touch_utm_term END,
            last_touch_utm_content   = CASE WHEN (l.last_touch_at IS NULL OR (v_at, v_id) > (l.last_touch_at, l.last_touch_event_id)) THEN v_utm_content ELSE l.last_touch_utm_content END,
            last_touch_at            = CASE WHEN (l.last_touch_at IS NULL OR (v_at, v_id) > (l.last_touch_at, l.last_touch_event_id)) THEN v_at ELSE l.last_touch_at END,
            updated_at               = now()
        WHERE l.id = v_lead AND ((l.first_touch_at IS NULL OR (v_at, v_id) < (l.first_touch_at, l.first_touch_event_id))
                                  OR (l.last_touch_at IS NULL OR (v_at, v_id) > (l.last_touch_at, l.last_touch_event_id)));
        RETURN NULL;
    END IF;
    saved_hashjoin := current_setting('enable_hashjoin');
    saved_mergejoin := current_setting('enable_mergejoin');
    saved_seqscan := current_setting('enable_seqscan');
    PERFORM set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),
            set_config('enable_seqscan', 'off', true);
    WITH ranked AS (
        SELECT *, row_number() OVER (PARTITION BY lead_id ORDER BY occurred_at, id) AS fr,
                  row_number() OVER (PARTITION BY lead_id ORDER BY occurred_at DESC, id DESC) AS lr
        FROM new_events WHERE event_type <> 'converted'
    ),
    t AS MATERIALIZED (
        SELECT lead_id,
               max(id) FILTER (WHERE fr = 1) AS f_id,
               max(source_type) FILTER (WHERE fr = 1) AS f_source,
               max(occurred_at) FILTER (WHERE fr = 1) AS f_at,
               max(utm_source) FILTER (WHERE fr = 1) AS f_utm_source,
               max(utm_medium) FILTER (WHERE fr = 1) AS f_utm_medium,
               max(utm_campaign) FILTER (WHERE fr = 1) AS f_utm_campaign,
               max(utm_term) FILTER (WHERE fr = 1) AS f_utm_term,
               max(utm_content) FILTER (WHERE fr = 1) AS f_utm_content,
               max(id) FILTER (WHERE lr = 1) AS l_id,
               max(source_type) FILTER (WHERE lr = 1) AS l_source,
               max(occurred_at) FILTER (WHERE lr = 1) AS l_at,
               max(utm_source) FILTER (WHERE lr = 1) AS l_utm_source,
               max(utm_medium) FILTER (WHERE lr = 1) AS l_utm_medium,
               max(utm_campaign) FILTER (WHERE lr = 1) AS l_utm_campaign,
               max(utm_term) FILTER (WHERE lr = 1) AS l_utm_term,
               max(utm_content) FILTER (WHERE lr = 1) AS l_utm_content
        FROM ranked WHERE fr = 1 OR lr = 1 GROUP BY lead_id
    )
    UPDATE leads l SET
        first_touch_event_id     = CASE WHEN (l.first_touch_at IS NULL OR (t.f_at, t.f_id) < (l.first_touch_at, l.first_touch_event_id)) THEN t.f_id ELSE l.first_touch_event_id END,
        first_touch_source       = CASE WHEN (l.first_touch_at IS NULL OR (t.f_at, t.f_id) < (l.first_touch_at, l.first_touch_event_id)) THEN t.f_source ELSE l.first_touch_source END,
        first_touch_utm_source   = CASE WHEN (l.first_touch_at IS NULL OR (t.f_at, t.f_id) < (l.first_touch_at, l.first_touch_event_id)) THEN t.f_utm_source ELSE l.first_touch_utm_source END,
        first_touch_utm_medium   = CASE WHEN (l.first_touch_at IS NULL OR (t.f_at, t.f_id) < (l.first_touch_at, l.first_touch_event_id)) THEN t.f_utm_medium ELSE l.first_touch_utm_medium END,
        first_touch_utm_campaign = CASE WHEN (l.first_touch_at IS NULL OR (t.f_at, t.f_id) < (l.first_touch_at, l.first_touch_event_id)) THEN t.f_utm_campaign ELSE l.first_touch_utm_campaign END,
        first_touch_utm_term     = CASE WHEN (l.first_touch_at IS NULL OR (t.f_at, t.f_id) < (l.first_touch_at, l.first_touch_event_id)) THEN t.f_utm_term ELSE l.first_touch_utm_term END,
        first_touch_utm_content  = CASE WHEN (l.first_touch_at IS NULL OR (t.f_at, t.f_id) < (l.first_touch_at, l.first_touch_event_id)) THEN t.f_utm_content ELSE l.first_touch_utm_content END,
        first_touch_at           = CASE WHEN (l.first_touch_at IS NULL OR (t.f_at, t.f_id) < (l.first_touch_at, l.first_touch_event_id)) THEN t.f_at ELSE l.first_touch_at END,
        last_touch_event_id      = CASE WHEN (l.last_touch_at IS NULL OR (t.l_at, t.l_id) > (l.last_touch_at, l.last_touch_event_id)) THEN t.l_id ELSE l.last_touch_event_id END,
        last_touch_source        = CASE WHEN (l.last_touch_at IS NULL OR (t.l_at, t.l_id) > (l.last_touch_at, l.last_touch_event_id)) THEN t.l_source ELSE l.last_touch_source END,
        last_touch_utm_source    = CASE WHEN (l.last_touch_at IS NULL OR (t.l_at, t.l_id) > (l.last_touch_at, l.last_touch_event_id)) THEN t.l_utm_source ELSE l.last_touch_utm_source END,
        last_touch_utm_medium    = CASE WHEN (l.last_touch_at IS NULL OR (t.l_at, t.l_id) > (l.last_touch_at, l.last_touch_event_id)) THEN t.l_utm_medium ELSE l.last_touch_utm_medium END,
        last_touch_utm_campaign  = CASE WHEN (l.last_touch_at IS NULL OR (t.l_at, t.l_id) > (l.last_touch_at, l.last_touch_event_id)) THEN t.l_utm_campaign ELSE l.last_touch_utm_campaign END,
        last_touch_utm_term      = CASE WHEN (l.last_touch_at IS NULL OR (t.l_at, t.l_id) > (l.last_touch_at, l.last_touch_event_id)) THEN t.l_utm_term ELSE l.last_touch_utm_term END,
        last_touch_utm_content   = CASE WHEN (l.last_touch_at IS NULL OR (t.l_at, t.l_id) > (l.last_touch_at, l.last_touch_event_id)) THEN t.l_utm_content ELSE l.last_touch_utm_content END,
        last_touch_at            = CASE WHEN (l.last_touch_at IS NULL OR (t.l_at, t.l_id) > (l.last_touch_at, l.last_touch_event_id)) THEN t.l_at ELSE l.last_touch_at END,
        updated_at               = now()
    FROM t
    WHERE l.id = t.lead_id
      AND ((l.first_touch_at IS NULL OR (t.f_at, t.f_id) < (l.first_touch_at, l.first_touch_event_id))
           OR (l.last_touch_at IS NULL OR (t.l_at, t.l_id) > (l.last_touch_at, l.last_touch_event_id)));
    PERFORM set_config('enable_hashjoin', saved_hashjoin, true), set_config('enable_mergejoin', saved_mergejoin, true),
            set_config('enable_seqscan', saved_seqscan, true);
    RETURN NULL;
END;
$$;

-- analytics_refresh_leads and the insert trigger's merge, as R__analytics_functions.sql now defines them (that
-- file stays their current definition; see the comments there): the recomputation driven by lead id, and a
-- statement of several events deriving the rows of leads new to the analytics from its own events.
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
    SELECT f.* FROM unnest(p_leads) AS k(lead_id)
    -- OFFSET 0 keeps the subquery from being pulled up into the join: pulled up, the lead id became a join
    -- condition over the whole view, and every call aggregated every event (EXPLAIN of the generic plan).
    CROSS JOIN LATERAL (SELECT * FROM analytics_leads_from_events v WHERE v.lead_id = k.lead_id OFFSET 0) f
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
    v_new bigint[];
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
        -- A lead without a row has no other event (every stored event's lead has its row): its row is derived
        -- from the statement's events alone, as analytics_leads_from_events would derive it, without reading
        -- them back. A row a concurrent writer inserted meanwhile is left to the recomputation of the others.
        WITH fresh AS (
            SELECT e.*, CASE e.event_type
                            WHEN 'ticket_purchased' THEN bool_or(e.event_type = 'ticket_refunded') OVER w
                            WHEN 'appointment_booked' THEN bool_or(e.event_type = 'appointment_cancelled') OVER w
                            ELSE false END AS voided,
                   (extract(epoch FROM e.occurred_at) * 1000000)::bigint * 16
                   + array_position(ARRAY['lead_captured', 'appointment_booked', 'appointment_cancelled',
                                          'appointment_completed', 'event_registered', 'event_attended',
                                          'ticket_purchased', 'ticket_refunded', 'signup_started',
                                          'signup_completed', 'converted'], e.event_type) - 1 AS occurrence
            FROM changed_events e
            WHERE NOT EXISTS (SELECT 1 FROM analytics_leads a WHERE a.lead_id = e.lead_id)
            WINDOW w AS (PARTITION BY e.lead_id, e.source_type, e.external_id)
        ),
        inserted AS (
            INSERT INTO analytics_leads
            SELECT lead_id,
                   min(occurred_at),
                   (array_agg(source_type  ORDER BY occurred_at, event_type = 'converted', id))[1],
                   (array_agg(utm_source   ORDER BY occurred_at, event_type = 'converted', id))[1],
                   (array_agg(utm_medium   ORDER BY occurred_at, event_type = 'converted', id))[1],
                   (array_agg(utm_campaign ORDER BY occurred_at, event_type = 'converted', id))[1],
                   (array_agg(source_type  ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1],
                   (array_agg(utm_source   ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1],
                   (array_agg(utm_medium   ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1],
                   (array_agg(utm_campaign ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1],
                   (array_agg(occurred_at  ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1],
                   min(occurred_at) FILTER (WHERE event_type = 'lead_captured'),
                   min(occurred_at) FILTER (WHERE event_type = 'appointment_booked' AND NOT voided),
                   min(occurred_at) FILTER (WHERE event_type = 'appointment_cancelled'),
                   min(occurred_at) FILTER (WHERE event_type = 'appointment_completed'),
                   min(occurred_at) FILTER (WHERE event_type = 'event_registered'),
                   min(occurred_at) FILTER (WHERE event_type = 'event_attended'),
                   min(occurred_at) FILTER (WHERE event_type = 'ticket_purchased' AND NOT voided),
                   min(occurred_at) FILTER (WHERE event_type = 'ticket_refunded'),
                   min(occurred_at) FILTER (WHERE event_type = 'signup_started'),
                   min(occurred_at) FILTER (WHERE event_type = 'signup_completed'),
                   min(occurred_at) FILTER (WHERE event_type = 'converted'),
                   array_agg(occurrence ORDER BY occurrence)
            FROM fresh
            GROUP BY lead_id
            ON CONFLICT (lead_id) DO NOTHING
            RETURNING lead_id
        )
        SELECT array_agg(lead_id) INTO v_new FROM inserted;
        IF cardinality(v_new) IS DISTINCT FROM (SELECT count(DISTINCT lead_id) FROM changed_events) THEN
            PERFORM analytics_refresh_leads(ARRAY(SELECT DISTINCT lead_id FROM changed_events
                                                  WHERE lead_id <> ALL(COALESCE(v_new, '{}'))));
        END IF;
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

-- The API's write: one event by short statements, several by write_funnel_events_set (one statement). The
-- answer is the events created, as in V34.
CREATE OR REPLACE FUNCTION write_funnel_events(p_emails text[], p_first_names text[], p_last_names text[],
                                               p_phones text[], p_sources text[], p_types text[],
                                               p_external_ids text[], p_occurred timestamptz[],
                                               p_utm_sources text[], p_utm_media text[], p_utm_campaigns text[],
                                               p_utm_terms text[], p_utm_contents text[], p_data jsonb[])
RETURNS TABLE (w_event_id bigint, w_lead_id bigint, w_source text, w_external_id text, w_type text,
               w_created_at timestamptz)
LANGUAGE plpgsql
AS $$
DECLARE
    v_id bigint;
    v_lead bigint;
    -- The touch a new lead starts with.
    t_id bigint;
    t_source text;
    t_at timestamptz;
    t_utm_source text;
    t_utm_medium text;
    t_utm_campaign text;
    t_utm_term text;
    t_utm_content text;
BEGIN
    IF cardinality(p_emails) <> 1 THEN
        RETURN QUERY SELECT * FROM write_funnel_events_set(p_emails, p_first_names, p_last_names, p_phones,
                                                           p_sources, p_types, p_external_ids, p_occurred,
                                                           p_utm_sources, p_utm_media, p_utm_campaigns, p_utm_terms,
                                                           p_utm_contents, p_data);
        RETURN;
    END IF;
    PERFORM 1 FROM funnel_events e
     WHERE e.source_type = p_sources[1] AND e.external_id = p_external_ids[1] AND e.event_type = p_types[1];
    IF FOUND THEN
        RETURN;
    END IF;
    v_id := nextval('funnel_events_id_seq');
    -- A conversion is not a marketing touch (V1): its lead, if new, starts without touches.
    IF p_types[1] <> 'converted' THEN
        t_id := v_id;
        t_source := p_sources[1];
        t_at := p_occurred[1];
        t_utm_source := p_utm_sources[1];
        t_utm_medium := p_utm_media[1];
        t_utm_campaign := p_utm_campaigns[1];
        t_utm_term := p_utm_terms[1];
        t_utm_content := p_utm_contents[1];
    END IF;
    INSERT INTO leads AS l (email, first_name, last_name, phone,
                            first_touch_event_id, first_touch_source, first_touch_at, first_touch_utm_source,
                            first_touch_utm_medium, first_touch_utm_campaign, first_touch_utm_term,
                            first_touch_utm_content,
                            last_touch_event_id, last_touch_source, last_touch_at, last_touch_utm_source,
                            last_touch_utm_medium, last_touch_utm_campaign, last_touch_utm_term,
                            last_touch_utm_content)
    VALUES (p_emails[1], p_first_names[1], p_last_names[1], p_phones[1],
            t_id, t_source, t_at, t_utm_source, t_utm_medium, t_utm_campaign, t_utm_term, t_utm_content,
            t_id, t_source, t_at, t_utm_source, t_utm_medium, t_utm_campaign, t_utm_term, t_utm_content)
    ON CONFLICT (email) DO UPDATE SET
        first_name = COALESCE(EXCLUDED.first_name, l.first_name),
        last_name  = COALESCE(EXCLUDED.last_name, l.last_name),
        phone      = COALESCE(EXCLUDED.phone, l.phone),
        updated_at = now()
    WHERE (EXCLUDED.first_name IS NOT NULL AND EXCLUDED.first_name IS DISTINCT FROM l.first_name)
       OR (EXCLUDED.last_name IS NOT NULL AND EXCLUDED.last_name IS DISTINCT FROM l.last_name)
       OR (EXCLUDED.phone IS NOT NULL AND EXCLUDED.phone IS DISTINCT FROM l.phone)
    RETURNING l.id INTO v_lead;
    IF v_lead IS NULL THEN
        -- Unchanged (or committed by a concurrent writer after the upsert's snapshot: this statement's sees it).
        SELECT l.id INTO v_lead FROM leads l WHERE l.email = p_emails[1];
        IF v_lead IS NULL THEN
            RETURN;
        END IF;
    END IF;
    RETURN QUERY
    INSERT INTO funnel_events AS e (id, lead_id, source_type, event_type, external_id, occurred_at,
                                    utm_source, utm_medium, utm_campaign, utm_term, utm_content, event_data)
    OVERRIDING SYSTEM VALUE
    VALUES (v_id, v_lead, p_sources[1], p_types[1], p_external_ids[1], p_occurred[1], p_utm_sources[1],
            p_utm_media[1], p_utm_campaigns[1], p_utm_terms[1], p_utm_contents[1], p_data[1])
    ON CONFLICT (source_type, external_id, event_type) DO NOTHING
    RETURNING e.id, e.lead_id, e.source_type, e.external_id, e.event_type, e.created_at;
    IF NOT FOUND THEN
        PERFORM funnel_leads_retouch_created(p_emails);
    END IF;
END;
$$;
