-- The rollup deltas (V17) written by row triggers instead of statement triggers. Measured with the ingest
-- benchmark, V17's statement triggers cost single-event ingest far more than the 25% allowed: an upsert of
-- analytics_leads (V14's merge, V7's recomputation) fires both the INSERT and the UPDATE statement trigger,
-- each capturing a transition table and running its query, for every event. A row trigger fires only for a
-- row actually inserted, deleted, or updated in a column the rollup keys on (the WHEN clause is checked
-- without calling the function): a repeated event, or a later occurrence of a type already reached, costs
-- nothing. The deltas are the same: +1 for the key a lead now has, -1 for the key it had, none when the key
-- is unchanged.
DROP TRIGGER analytics_leads_cohorts_insert ON analytics_leads;
DROP TRIGGER analytics_leads_cohorts_update ON analytics_leads;
DROP TRIGGER analytics_leads_cohorts_delete ON analytics_leads;
DROP FUNCTION analytics_leads_count_inserted();
DROP FUNCTION analytics_leads_count_updated();
DROP FUNCTION analytics_leads_count_deleted();

-- V17's reach key of one analytics_leads row.
CREATE FUNCTION analytics_reach_key(a analytics_leads) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT analytics_reach_key(a.cohort_at, least(a.at_appointment_booked, a.at_event_registered, a.at_ticket_purchased),
                               least(a.at_appointment_completed, a.at_event_attended), a.at_signup_completed,
                               a.at_converted)
$$;

CREATE FUNCTION analytics_leads_count_cohort() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    old_key smallint;
    new_key smallint;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_key := analytics_reach_key(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_key := analytics_reach_key(NEW);
    END IF;
    IF TG_OP = 'UPDATE' AND old_key = new_key
       AND (OLD.cohort_at AT TIME ZONE 'UTC')::date = (NEW.cohort_at AT TIME ZONE 'UTC')::date
       AND (OLD.ft_source, OLD.ft_utm_source, OLD.ft_utm_medium, OLD.ft_utm_campaign,
            OLD.lt_source, OLD.lt_utm_source, OLD.lt_utm_medium, OLD.lt_utm_campaign)
           IS NOT DISTINCT FROM
           (NEW.ft_source, NEW.ft_utm_source, NEW.ft_utm_medium, NEW.ft_utm_campaign,
            NEW.lt_source, NEW.lt_utm_source, NEW.lt_utm_medium, NEW.lt_utm_campaign) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO analytics_cohort_deltas
        VALUES ((OLD.cohort_at AT TIME ZONE 'UTC')::date, OLD.ft_source, OLD.ft_utm_source, OLD.ft_utm_medium,
                OLD.ft_utm_campaign, OLD.lt_source, OLD.lt_utm_source, OLD.lt_utm_medium, OLD.lt_utm_campaign,
                old_key, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO analytics_cohort_deltas
        VALUES ((NEW.cohort_at AT TIME ZONE 'UTC')::date, NEW.ft_source, NEW.ft_utm_source, NEW.ft_utm_medium,
                NEW.ft_utm_campaign, NEW.lt_source, NEW.lt_utm_source, NEW.lt_utm_medium, NEW.lt_utm_campaign,
                new_key, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER analytics_leads_cohorts_insert
    AFTER INSERT ON analytics_leads
    FOR EACH ROW EXECUTE FUNCTION analytics_leads_count_cohort();
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
    EXECUTE FUNCTION analytics_leads_count_cohort();
CREATE TRIGGER analytics_leads_cohorts_delete
    AFTER DELETE ON analytics_leads
    FOR EACH ROW EXECUTE FUNCTION analytics_leads_count_cohort();
