-- Destinations: integrations the sync engine sends records to (contacts into Brevo lists). Their runs go to the
-- same run log as a pull source's (funnel_sync_logs, whose source_type references funnel_sources), so that the
-- claim, checkpoint, continuation and GET /sync/status/{type} serve them unchanged. A destination's row has kind
-- 'destination'; the daily schedule dispatches kind 'pull' only, so a destination runs when it is asked to.
ALTER TABLE funnel_sources DROP CONSTRAINT funnel_sources_kind_check;
ALTER TABLE funnel_sources ADD CONSTRAINT funnel_sources_kind_check
    CHECK (kind IN ('pull', 'push', 'api', 'destination'));

COMMENT ON COLUMN funnel_sources.kind IS 'pull: we fetch from the vendor; push: the vendor posts to us;
api: the En Garde backend posts events; destination: we send records to the vendor, its runs logged as a pull source''s';
