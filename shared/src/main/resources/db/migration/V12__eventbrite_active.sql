-- The Eventbrite connector (sources.eventbrite, function sync-eventbrite) has landed: Eventbrite is an active
-- pull source, synced by POST /sync/eventbrite, /sync/all and the daily schedule.
UPDATE funnel_sources SET active = true WHERE source_type = 'eventbrite';
