-- Funnel analytics, second step after the cohort rollup (V17): planner statistics, and updates counted by a
-- row trigger.
--
-- V17's reach key of one analytics_leads row, for the checks that compare the rollup with the lead rows.
CREATE FUNCTION analytics_reach_key(a analytics_leads) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT analytics_reach_key(a.cohort_at, least(a.at_appointment_booked, a.at_event_registered, a.at_ticket_purchased),
                               least(a.at_appointment_completed, a.at_event_attended), a.at_signup_completed,
                               a.at_converted)
$$;

-- The questions answered from the lead rows group by the cohort's day, week or month (FunnelAnalytics writes
-- exactly these expressions). Without statistics on them the planner takes every lead for its own group, and
-- then neither hashes the groups nor scans in parallel; with them it knows there are a few hundred.
CREATE STATISTICS analytics_leads_cohort_day ON ((cohort_at AT TIME ZONE 'UTC')::date) FROM analytics_leads;
CREATE STATISTICS analytics_leads_cohort_week ON (date_trunc('week', (cohort_at AT TIME ZONE 'UTC'))::date)
    FROM analytics_leads;
CREATE STATISTICS analytics_leads_cohort_month ON (date_trunc('month', (cohort_at AT TIME ZONE 'UTC'))::date)
    FROM analytics_leads;
ANALYZE analytics_leads;

-- Updates of analytics_leads counted by a row trigger instead of V17's statement trigger. Measured with the
-- ingest benchmark, V17's UPDATE statement trigger cost single-event ingest about a third of its throughput:
-- V14's merge is an upsert, which fires it for every event, capturing both transition tables and running
-- their query. The row trigger fires only for a row updated in a column the rollup keys on (its WHEN clause
-- is checked without calling the function): a repeated event, or a later occurrence of a type already
-- reached, costs nothing. Inserts and deletes keep V17's statement triggers: a batch or a sync page inserts
-- its new leads in one statement, counted by one query (row triggers for inserts cost batch ingest a third).
-- The deltas are the same: +1 for the key a lead now has, -1 for the key it had, none when it is unchanged.
DROP TRIGGER analytics_leads_cohorts_update ON analytics_leads;
DROP FUNCTION analytics_leads_count_updated();

CREATE FUNCTION analytics_leads_count_updated() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    old_key smallint := analytics_reach_key(OLD);
    new_key smallint := analytics_reach_key(NEW);
BEGIN
    IF old_key = new_key
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
            old_key, -1),
           ((NEW.cohort_at AT TIME ZONE 'UTC')::date, NEW.ft_source, NEW.ft_utm_source, NEW.ft_utm_medium,
            NEW.ft_utm_campaign, NEW.lt_source, NEW.lt_utm_source, NEW.lt_utm_medium, NEW.lt_utm_campaign,
            new_key, 1);
    RETURN NULL;
END;
$$;

CREATE TRIGGER analytics_leads_cohorts_update
    AFTER UPDATE ON analytics_leads
    FOR EACH ROW
    WHEN ((OLD.cohort_at, OLD.at_appointment_booked, OLD.at_event_registered, OLD.at_ticket_purchased,
           OLD.at_appointment_completed, OLD.at_event_attended, OLD.at_signup_completed, OLD.at_converted,
           OLD.ft_source, OLD.ft_utm_source, OLD.ft_utm_medium, OLD.ft_utm_campaign,
           OLD.lt_source, OLD.lt_utm_source, OLD.lt_utm_medium, OLD.lt_utm_campaign)
          IS DISTINCT FROM
          (NEW.cohort_at, NEW.at_appointment_booked, NEW.at_event_registered, NEW.at_ticket_purchased,
           NEW.at_appointment_completed, NEW.at_event_attended, NEW.at_signup_completed, NEW.at_converted,
           NEW.ft_source, NEW.ft_utm_source, NEW.ft_utm_medium, NEW.ft_utm_campaign,
           NEW.lt_source, NEW.lt_utm_source, NEW.lt_utm_medium, NEW.lt_utm_campaign))
    EXECUTE FUNCTION analytics_leads_count_updated();
