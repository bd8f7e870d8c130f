-- The funnel write path, one statement per write (issue 29: ingest had fallen to 37% of plain inserts).
--
-- write_funnel_events: the API's write (one event, or a batch of up to 500) in one round trip instead of three.
-- It used to read the stored events of the batch first (the extra indexed read per write), then upsert the
-- leads (upsert_leads), then insert the events. Here one statement keeps the events whose key is not stored,
-- upserts the leads of those events only (a duplicate, a retry or a replayed old body, must not rewrite its
-- lead's name or phone), and inserts the events, answering the rows it created. The caller reads stored events
-- only for keys it did not create (duplicates, or a concurrent writer's), which the common write has none of.
-- A person given several times in one call gets, field by field, the last value given (as Java merged it).
-- Leads are upserted in email order ("C" collation), so concurrent writers lock them in one order.
--
-- Each lookup against a large table (a stored event by key, a lead by email) is a LATERAL subquery with
-- LIMIT 1: a per-row index lookup by construction, whatever the planner guesses from the statistics of the
-- moment. The plan is generic (planned once per connection, as analytics_refresh_leads); with seq scans off,
-- a plan made while the tables were small stays an index plan when they are large. The call's own rows are
-- never joined with each other (see lead_ids).
CREATE FUNCTION write_funnel_events(p_emails text[], p_first_names text[], p_last_names text[], p_phones text[],
                                    p_sources text[], p_types text[], p_external_ids text[], p_occurred timestamptz[],
                                    p_utm_sources text[], p_utm_media text[], p_utm_campaigns text[], p_utm_terms text[],
                                    p_utm_contents text[], p_data jsonb[])
RETURNS TABLE (w_event_id bigint, w_lead_id bigint, w_source text, w_external_id text, w_type text,
               w_created_at timestamptz)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
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
    -- The lookup by key must be the unique index's: the comparison of event types in "C" (the same equality
    -- for text) keeps a plan made while the table was small from reading all events of a type instead.
    fresh AS MATERIALIZED (
        SELECT i.*
        FROM input i
        LEFT JOIN LATERAL (SELECT 1 AS found FROM funnel_events e
                           WHERE e.source_type = i.source_type AND e.external_id = i.external_id
                             AND e.event_type = i.event_type COLLATE "C"
                           LIMIT 1) s ON true
        WHERE s.found IS NULL
    ),
    people AS MATERIALIZED (
        SELECT f.email,
               (array_agg(f.first_name ORDER BY f.ord DESC) FILTER (WHERE f.first_name IS NOT NULL))[1] AS first_name,
               (array_agg(f.last_name ORDER BY f.ord DESC) FILTER (WHERE f.last_name IS NOT NULL))[1] AS last_name,
               (array_agg(f.phone ORDER BY f.ord DESC) FILTER (WHERE f.phone IS NOT NULL))[1] AS phone
        FROM fresh f
        GROUP BY f.email
    ),
    upserted AS (
        INSERT INTO leads AS l (email, first_name, last_name, phone)
        SELECT p.email, p.first_name, p.last_name, p.phone FROM people p ORDER BY p.email COLLATE "C"
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
    -- Each email's lead id, as one object computed once: an event finds its lead by a lookup in it, not by a
    -- join between the call's rows (a generic plan guesses them few, and would join them in a nested loop).
    -- A lead left unchanged is not returned by the upsert: it is read from the table (the statement's
    -- snapshot). One a concurrent transaction committed after that snapshot is in neither; its events are not
    -- inserted here, and the caller writes them again in a new statement.
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
        INSERT INTO funnel_events AS e (lead_id, source_type, event_type, external_id, occurred_at,
                                        utm_source, utm_medium, utm_campaign, utm_term, utm_content, event_data)
        SELECT (d.ids ->> f.email)::bigint, f.source_type, f.event_type, f.external_id, f.occurred_at,
               f.utm_source, f.utm_medium, f.utm_campaign, f.utm_term, f.utm_content, f.event_data
        FROM fresh f
        CROSS JOIN lead_ids d
        WHERE d.ids ? f.email
        ORDER BY f.ord
        ON CONFLICT (source_type, external_id, event_type) DO NOTHING
        RETURNING e.id, e.lead_id, e.source_type, e.external_id, e.event_type, e.created_at
    )
    SELECT * FROM inserted;
END;
$$;

-- The touch trigger (V1), once per statement as before, without the planner settings for the statement of one
-- event (an API call, a webhook, a conversion: the most frequent write). V1 set three planner settings on the
-- function: each is saved and restored on every call, a sizeable part of one event's write, and one event
-- needs none of them (its lead is one primary-key lookup). A statement of several events takes them, for its
-- statement alone, and runs V1's set-based update unchanged.
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
            first_touch_event_id     = CASE WHEN l.first_touch_at IS NULL OR v_at < l.first_touch_at THEN v_id ELSE l.first_touch_event_id END,
            first_touch_source       = CASE WHEN l.first_touch_at IS NULL OR v_at < l.first_touch_at THEN v_source ELSE l.first_touch_source END,
            first_touch_utm_source   = CASE WHEN l.first_touch_at IS NULL OR v_at < l.first_touch_at THEN v_utm_source ELSE l.first_touch_utm_source END,
            first_touch_utm_medium   = CASE WHEN l.first_touch_at IS NULL OR v_at < l.first_touch_at THEN v_utm_medium ELSE l.first_touch_utm_medium END,
            first_touch_utm_campaign = CASE WHEN l.first_touch_at IS NULL OR v_at < l.first_touch_at THEN v_utm_campaign ELSE l.first_touch_utm_campaign END,
            first_touch_utm_term     = CASE WHEN l.first_touch_at IS NULL OR v_at < l.first_touch_at THEN v_utm_term ELSE l.first_touch_utm_term END,
            first_touch_utm_content  = CASE WHEN l.first_touch_at IS NULL OR v_at < l.first_touch_at THEN v_utm_content ELSE l.first_touch_utm_content END,
            first_touch_at           = CASE WHEN l.first_touch_at IS NULL OR v_at < l.first_touch_at THEN v_at ELSE l.first_touch_at END,
            last_touch_event_id      = CASE WHEN l.last_touch_at IS NULL OR v_at >= l.last_touch_at THEN v_id ELSE l.last_touch_event_id END,
            last_touch_source        = CASE WHEN l.last_touch_at IS NULL OR v_at >= l.last_touch_at THEN v_source ELSE l.last_touch_source END,
            last_touch_utm_source    = CASE WHEN l.last_touch_at IS NULL OR v_at >= l.last_touch_at THEN v_utm_source ELSE l.last_touch_utm_source END,
            last_touch_utm_medium    = CASE WHEN l.last_touch_at IS NULL OR v_at >= l.last_touch_at THEN v_utm_medium ELSE l.last_touch_utm_medium END,
            last_touch_utm_campaign  = CASE WHEN l.last_touch_at IS NULL OR v_at >= l.last_touch_at THEN v_utm_campaign ELSE l.last_touch_utm_campaign END,
            last_touch_utm_term      = CASE WHEN l.last_touch_at IS NULL OR v_at >= l.last_touch_at THEN v_utm_term ELSE l.last_touch_utm_term END,
            last_touch_utm_content   = CASE WHEN l.last_touch_at IS NULL OR v_at >= l.last_touch_at THEN v_utm_content ELSE l.last_touch_utm_content END,
            last_touch_at            = CASE WHEN l.last_touch_at IS NULL OR v_at >= l.last_touch_at THEN v_at ELSE l.last_touch_at END,
            updated_at               = now()
        WHERE l.id = v_lead
          AND (l.first_touch_at IS NULL OR v_at < l.first_touch_at
               OR l.last_touch_at IS NULL OR v_at >= l.last_touch_at);
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
        first_touch_event_id     = CASE WHEN l.first_touch_at IS NULL OR t.f_at < l.first_touch_at THEN t.f_id ELSE l.first_touch_event_id END,
        first_touch_source       = CASE WHEN l.first_touch_at IS NULL OR t.f_at < l.first_touch_at THEN t.f_source ELSE l.first_touch_source END,
        first_touch_utm_source   = CASE WHEN l.first_touch_at IS NULL OR t.f_at < l.first_touch_at THEN t.f_utm_source ELSE l.first_touch_utm_source END,
        first_touch_utm_medium   = CASE WHEN l.first_touch_at IS NULL OR t.f_at < l.first_touch_at THEN t.f_utm_medium ELSE l.first_touch_utm_medium END,
        first_touch_utm_campaign = CASE WHEN l.first_touch_at IS NULL OR t.f_at < l.first_touch_at THEN t.f_utm_campaign ELSE l.first_touch_utm_campaign END,
        first_touch_utm_term     = CASE WHEN l.first_touch_at IS NULL OR t.f_at < l.first_touch_at THEN t.f_utm_term ELSE l.first_touch_utm_term END,
        first_touch_utm_content  = CASE WHEN l.first_touch_at IS NULL OR t.f_at < l.first_touch_at THEN t.f_utm_content ELSE l.first_touch_utm_content END,
        first_touch_at           = CASE WHEN l.first_touch_at IS NULL OR t.f_at < l.first_touch_at THEN t.f_at ELSE l.first_touch_at END,
        last_touch_event_id      = CASE WHEN l.last_touch_at IS NULL OR t.l_at >= l.last_touch_at THEN t.l_id ELSE l.last_touch_event_id END,
        last_touch_source        = CASE WHEN l.last_touch_at IS NULL OR t.l_at >= l.last_touch_at THEN t.l_source ELSE l.last_touch_source END,
        last_touch_utm_source    = CASE WHEN l.last_touch_at IS NULL OR t.l_at >= l.last_touch_at THEN t.l_utm_source ELSE l.last_touch_utm_source END,
        last_touch_utm_medium    = CASE WHEN l.last_touch_at IS NULL OR t.l_at >= l.last_touch_at THEN t.l_utm_medium ELSE l.last_touch_utm_medium END,
        last_touch_utm_campaign  = CASE WHEN l.last_touch_at IS NULL OR t.l_at >= l.last_touch_at THEN t.l_utm_campaign ELSE l.last_touch_utm_campaign END,
        last_touch_utm_term      = CASE WHEN l.last_touch_at IS NULL OR t.l_at >= l.last_touch_at THEN t.l_utm_term ELSE l.last_touch_utm_term END,
        last_touch_utm_content   = CASE WHEN l.last_touch_at IS NULL OR t.l_at >= l.last_touch_at THEN t.l_utm_content ELSE l.last_touch_utm_content END,
        last_touch_at            = CASE WHEN l.last_touch_at IS NULL OR t.l_at >= l.last_touch_at THEN t.l_at ELSE l.last_touch_at END,
        updated_at               = now()
    FROM t
    WHERE l.id = t.lead_id
      AND (l.first_touch_at IS NULL OR t.f_at < l.first_touch_at OR l.last_touch_at IS NULL OR t.l_at >= l.last_touch_at);
    PERFORM set_config('enable_hashjoin', saved_hashjoin, true), set_config('enable_mergejoin', saved_mergejoin, true),
            set_config('enable_seqscan', saved_seqscan, true);
    RETURN NULL;
END;
$$;
