-- The Zoom connector (sources.zoom, function sync-zoom) has landed: Zoom is an active pull source, synced by
-- POST /sync/zoom, /sync/all and the daily schedule. Eventbrite stays inactive until its connector lands.
UPDATE funnel_sources SET active = true WHERE source_type = 'zoom';
