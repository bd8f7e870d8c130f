-- Funnel analytics: one row per lead holding everything a funnel question needs (cohort, first and last
-- touch, when the lead first reached each event type, every event's time and type for exclusions), so that a
-- question reads one narrow row per lead of the cohort instead of every raw event. The rows are derived from
-- funnel_events by one definition (the view below) and kept exact by statement triggers in the same
-- transaction as every event write: API single and batch, sync pages, webhook, conversions.

-- The one definition of a lead's funnel facts, from its raw events. The triggers use it for the leads a
-- statement touched; the naive query of the benchmark and the tests uses it for every lead at request time.
--   cohort_at: the lead's first touch, its earliest event (a marketing event wins a tie with its conversion);
--   ft_*: that event's source and UTM; lt_*: the latest marketing event's time, source and UTM (the
--     conversion's when there is none);
--   at_<type>: when the lead first did <type>, not counting a ticket purchase refunded or a booking cancelled
--     (same source and external id): those did not reach their stage;
--   occurrences: every event as (epoch microseconds * 16 + event type code), for exclusion steps.
CREATE VIEW analytics_leads_from_events AS
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
       array_agg((extract(epoch FROM occurred_at) * 1000000)::bigint * 16 + code ORDER BY occurred_at, id) AS occurrences
FROM events
GROUP BY lead_id;

CREATE TABLE analytics_leads (
    -- A lead's id; no foreign key: rows are only written from funnel_events, whose own key already checked it.
    lead_id                  bigint PRIMARY KEY,
    cohort_at                timestamptz NOT NULL,
    ft_source                text NOT NULL,
    ft_utm_source            text,
    ft_utm_medium            text,
    ft_utm_campaign          text,
    lt_source                text NOT NULL,
    lt_utm_source            text,
    lt_utm_medium            text,
    lt_utm_campaign          text,
    lt_at                    timestamptz NOT NULL,
    at_lead_captured         timestamptz,
    at_appointment_booked    timestamptz,
    at_appointment_cancelled timestamptz,
    at_appointment_completed timestamptz,
    at_event_registered      timestamptz,
    at_event_attended        timestamptz,
    at_ticket_purchased      timestamptz,
    at_ticket_refunded       timestamptz,
    at_signup_started        timestamptz,
    at_signup_completed      timestamptz,
    at_converted             timestamptz,
    occurrences              bigint[] NOT NULL
);

-- Every question selects a cohort by first-touch time; short ranges read only their part of the table.
CREATE INDEX analytics_leads_cohort_idx ON analytics_leads (cohort_at);
-- Time to convert reads only the converted leads of the cohort.
CREATE INDEX analytics_leads_converted_idx ON analytics_leads (cohort_at) WHERE at_converted IS NOT NULL;

-- Recomputes the analytics rows of the given leads from their events. The existing rows are locked first, in
-- id order: a concurrent writer of the same lead waits, and the recomputation that follows (a new snapshot)
-- sees what it committed, so neither overwrites the other with a stale row. A lead new to the table cannot
-- race: its lead row was created in this transaction, and any other writer waits on that row.
-- The leads are always few against a large table, and planner statistics on a fresh table can be empty: the
-- lookups must stay index lookups whatever the planner guesses, as for the touch trigger in V1. The plan is
-- planned once per connection (generic): planning the derivation anew for every statement of one event would
-- cost more than running it.
CREATE FUNCTION analytics_refresh_leads(p_leads bigint[]) RETURNS void
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
CREATE FUNCTION funnel_events_refresh_analytics() RETURNS trigger
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
CREATE FUNCTION funnel_events_forget_analytics() RETURNS trigger
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

-- Statement-level, like the touch trigger: a batch or a sync page of N events refreshes its leads once.
-- An update (a sync changing an event's UTM) can change a first touch's attribution, hence the update trigger.
CREATE TRIGGER funnel_events_analytics_insert
    AFTER INSERT ON funnel_events REFERENCING NEW TABLE AS changed_events
    FOR EACH STATEMENT EXECUTE FUNCTION funnel_events_refresh_analytics();
CREATE TRIGGER funnel_events_analytics_update
    AFTER UPDATE ON funnel_events REFERENCING NEW TABLE AS changed_events
    FOR EACH STATEMENT EXECUTE FUNCTION funnel_events_refresh_analytics();
CREATE TRIGGER funnel_events_analytics_delete
    AFTER DELETE ON funnel_events REFERENCING OLD TABLE AS changed_events
    FOR EACH STATEMENT EXECUTE FUNCTION funnel_events_forget_analytics();

-- The events stored before this migration.
INSERT INTO analytics_leads SELECT * FROM analytics_leads_from_events;
