-- Sync engine, second round.
--
-- Only sources whose connector is deployed are dispatched (POST /sync/all and the daily schedule start runs
-- for active pull sources). Zoom and Eventbrite have no connector yet: they stay inactive until the
-- migration that lands their connectors turns them on, so that no run is started that nothing carries out.
UPDATE funnel_sources SET active = false WHERE source_type IN ('zoom', 'eventbrite');

-- How many HTTP requests a run made to its vendor (retries included): vendors limit requests per window
-- and per day, so the status report shows what each run spent.
ALTER TABLE funnel_sync_logs
    ADD COLUMN request_count integer NOT NULL DEFAULT 0 CHECK (request_count >= 0);
