-- Funnel analytics, cheaper to keep: a statement inserting one event (an API call, a webhook, a conversion:
-- the most frequent write) merges that event into its lead's row, or starts the row, instead of recomputing
-- the lead from all of its stored events. For most event types the row after the insert is a pure function of
-- the row before and the event:
--   cohort_at and at_<type>: the earlier of the two;
--   ft_*: the event's when it is earlier than the first touch; lt_*: the event's when it is later than the last
--     touch, a marketing event beating a conversion as in V7;
--   occurrences: the union, sorted.
-- The merge is only used where that holds. The lead is recomputed from its events as before (V7's
-- analytics_refresh_leads) for a ticket purchase, refund, booking or cancellation (a refund voids a purchase
-- stored long ago, a purchase can arrive after its refund), for an event at exactly the lead's first or last
-- touch time (V7 breaks such ties by event id and type, which the row does not keep), and for a statement of
-- several events (a batch or a sync page: one recomputation per statement, as in V7). Updates and deletes keep
-- V7's triggers.

-- occurrences were ordered by time and event id; the row does not know event ids, so a merge could not
-- reproduce that order. Ordered by their value (time, then type code) the array is the same whichever way it
-- was built. Only membership is ever read (exclusion steps).
CREATE OR REPLACE VIEW analytics_leads_from_events AS
WITH events AS (
    SELECT e.lead_id, e.id, e.source_type, e.event_type, e.occurred_at, e.utm_source, e.utm_medium, e.utm_campaign,
           v.id IS NOT NULL AS voided,
           array_position(ARRAY['lead_captured', 'appointment_booked', 'appointment_cancelled', 'appointment_completed',
                                'event_registered', 'event_attended', 'ticket_purchased', 'ticket_refunded',
                                'signup_started', 'signup_completed', 'converted'], e.event_type) - 1 AS code
    FROM funnel_events e
    LEFT JOIN funnel_events v
           ON e.event_type IN ('ticket_purchased', 'appointment_booked')
          AND v.source_type = e.source_type AND v.external_id = e.external_id AND v.lead_id = e.lead_id
          AND v.event_type = CASE e.event_type WHEN 'ticket_purchased' THEN 'ticket_refunded'
                                               ELSE 'appointment_cancelled' END
)
SELECT lead_id,
       min(occurred_at) AS cohort_at,
       (array_agg(source_type  ORDER BY occurred_at, event_type = 'converted', id))[1] AS ft_source,
       (array_agg(utm_source   ORDER BY occurred_at, event_type = 'converted', id))[1] AS ft_utm_source,
       (array_agg(utm_medium   ORDER BY occurred_at, event_type = 'converted', id))[1] AS ft_utm_medium,
       (array_agg(utm_campaign ORDER BY occurred_at, event_type = 'converted', id))[1] AS ft_utm_campaign,
       (array_agg(source_type  ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1] AS lt_source,
       (array_agg(utm_source   ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1] AS lt_utm_source,
       (array_agg(utm_medium   ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1] AS lt_utm_medium,
       (array_agg(utm_campaign ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1] AS lt_utm_campaign,
       (array_agg(occurred_at  ORDER BY event_type <> 'converted' DESC, occurred_at DESC, id DESC))[1] AS lt_at,
       min(occurred_at) FILTER (WHERE event_type = 'lead_captured') AS at_lead_captured,
       min(occurred_at) FILTER (WHERE event_type = 'appointment_booked' AND NOT voided) AS at_appointment_booked,
       min(occurred_at) FILTER (WHERE event_type = 'appointment_cancelled') AS at_appointment_cancelled,
       min(occurred_at) FILTER (WHERE event_type = 'appointment_completed') AS at_appointment_completed,
       min(occurred_at) FILTER (WHERE event_type = 'event_registered') AS at_event_registered,
       min(occurred_at) FILTER (WHERE event_type = 'event_attended') AS at_event_attended,
       min(occurred_at) FILTER (WHERE event_type = 'ticket_purchased' AND NOT voided) AS at_ticket_purchased,
       min(occurred_at) FILTER (WHERE event_type = 'ticket_refunded') AS at_ticket_refunded,
       min(occurred_at) FILTER (WHERE event_type = 'signup_started') AS at_signup_started,
       min(occurred_at) FILTER (WHERE event_type = 'signup_completed') AS at_signup_completed,
       min(occurred_at) FILTER (WHERE event_type = 'converted') AS at_converted,
       array_agg(occurrence ORDER BY occurrence) AS occurrences
FROM (SELECT *, (extract(epoch FROM occurred_at) * 1000000)::bigint * 16 + code AS occurrence FROM events) coded
GROUP BY lead_id;

UPDATE analytics_leads SET occurrences = ARRAY(SELECT o FROM unnest(occurrences) o ORDER BY o);

-- A statement that inserts one event (an API call, a webhook, a conversion: the most frequent write) is
-- merged into its lead's row by one upsert; a statement of several events (a batch, a sync page) recomputes
-- its leads as V7 does, once per statement. The upsert needs no lock taken beforehand: ON CONFLICT locks the
-- lead's row and reads its latest committed version, which already holds every committed event of the lead,
-- so that row + the new event is the whole lead. Where the merge cannot decide (a tie, below) the upsert
-- leaves the row alone, still locked, and the lead is recomputed by the next statement, whose snapshot is
-- taken after the lock as V7 requires.
-- It sets no planner settings, unlike V7 (each costs a save and restore per call, a sizeable part of one
-- event's write): its statements read only the transition table and one row by primary key.
CREATE FUNCTION funnel_events_merge_analytics() RETURNS trigger
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

DROP TRIGGER funnel_events_analytics_insert ON funnel_events;
CREATE TRIGGER funnel_events_analytics_insert
    AFTER INSERT ON funnel_events REFERENCING NEW TABLE AS changed_events
    FOR EACH STATEMENT EXECUTE FUNCTION funnel_events_merge_analytics();
