-- Funnel analytics, second step after the cohort rollup (V17).
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
