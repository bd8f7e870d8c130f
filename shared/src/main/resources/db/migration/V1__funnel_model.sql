-- The funnel data model: one lead per person (normalized email), every touch as an idempotent event,
-- conversions with the attribution they had when they happened, the sync run log and raw webhook deliveries.
-- Rules that protect the data live here, not only in Java: every writer (API, sync, webhook) gets them.

CREATE TABLE funnel_sources (
    source_type  text PRIMARY KEY CHECK (source_type ~ '^[a-z][a-z0-9_]{1,39}$'),
    display_name text        NOT NULL,
    -- pull: we fetch from the vendor; push: the vendor posts to us; api: the En Garde backend posts events.
    kind         text        NOT NULL CHECK (kind IN ('pull', 'push', 'api')),
    active       boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now()
);

INSERT INTO funnel_sources (source_type, display_name, kind) VALUES
    ('easyappointments', 'EasyAppointments', 'pull'),
    ('zoom',             'Zoom',             'pull'),
    ('eventbrite',       'Eventbrite',       'pull'),
    ('poshvip',          'Posh.VIP',         'push'),
    ('manual',           'Manual entry',     'api'),
    ('referral',         'Referral',         'api'),
    ('direct_signup',    'Direct signup',    'api');

CREATE TABLE leads (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Normalized (trimmed, lower-cased) so that one person is one lead whatever the source's spelling.
    email                  text        NOT NULL CHECK (email = lower(btrim(email))
                                                       AND length(email) BETWEEN 3 AND 254
                                                       AND email LIKE '_%@_%'),
    first_name             text CHECK (length(first_name) <= 200),
    last_name              text CHECK (length(last_name) <= 200),
    phone                  text CHECK (length(phone) <= 50),
    -- First and last touch are derived from funnel_events by the trigger below: the earliest and the latest
    -- event by occurred_at, whatever order events arrive in. They copy an event's id and source, which that
    -- event's own constraints already checked; foreign keys here would re-check them on every touch update.
    first_touch_event_id   bigint,
    first_touch_source     text,
    first_touch_at         timestamptz,
    first_touch_utm_source   text,
    first_touch_utm_medium   text,
    first_touch_utm_campaign text,
    first_touch_utm_term     text,
    first_touch_utm_content  text,
    last_touch_event_id    bigint,
    last_touch_source      text,
    last_touch_at          timestamptz,
    last_touch_utm_source    text,
    last_touch_utm_medium    text,
    last_touch_utm_campaign  text,
    last_touch_utm_term      text,
    last_touch_utm_content   text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leads_email_key UNIQUE (email),
    CONSTRAINT leads_touch_order CHECK (first_touch_at IS NULL OR last_touch_at >= first_touch_at)
);

-- Leads per first-touch source over time is the funnel's main question.
CREATE INDEX leads_first_touch_idx ON leads (first_touch_source, first_touch_at);

-- Upserts a batch of leads and answers every one's id in one round trip: the rows it inserted or changed
-- from RETURNING, the unchanged ones from the table. A name or phone is only ever filled in or replaced,
-- never erased, and an unchanged lead is not rewritten (a re-sync of unchanged data writes nothing).
-- Cached plans are chosen once per connection, possibly while leads is still small; the lookup by email
-- must stay an index lookup as the table grows, hence the SET clause (as for the touch trigger).
CREATE FUNCTION upsert_leads(p_emails text[], p_first_names text[], p_last_names text[], p_phones text[])
RETURNS TABLE (lead_id bigint, lead_email text)
LANGUAGE plpgsql
SET enable_seqscan = off
AS $$
BEGIN
    RETURN QUERY
    WITH upserted AS (
        INSERT INTO leads AS l (email, first_name, last_name, phone)
        SELECT * FROM unnest(p_emails, p_first_names, p_last_names, p_phones)
        ON CONFLICT (email) DO UPDATE SET
            first_name = COALESCE(EXCLUDED.first_name, l.first_name),
            last_name  = COALESCE(EXCLUDED.last_name, l.last_name),
            phone      = COALESCE(EXCLUDED.phone, l.phone),
            updated_at = now()
        WHERE (EXCLUDED.first_name IS NOT NULL AND EXCLUDED.first_name IS DISTINCT FROM l.first_name)
           OR (EXCLUDED.last_name IS NOT NULL AND EXCLUDED.last_name IS DISTINCT FROM l.last_name)
           OR (EXCLUDED.phone IS NOT NULL AND EXCLUDED.phone IS DISTINCT FROM l.phone)
        RETURNING l.id, l.email
    )
    SELECT u.id, u.email FROM upserted u
    UNION ALL
    SELECT l.id, l.email FROM leads l
    WHERE l.email = ANY(p_emails) AND l.email NOT IN (SELECT u.email FROM upserted u);
END;
$$;

CREATE TABLE funnel_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id      bigint      NOT NULL REFERENCES leads (id),
    source_type  text        NOT NULL REFERENCES funnel_sources (source_type),
    event_type   text        NOT NULL CHECK (event_type IN (
                     'lead_captured', 'appointment_booked', 'appointment_cancelled', 'appointment_completed',
                     'event_registered', 'event_attended', 'ticket_purchased', 'ticket_refunded',
                     'signup_started', 'signup_completed', 'converted')),
    -- The source's own id for the record: with source and type, the idempotency key of every write.
    external_id  text        NOT NULL CHECK (length(external_id) BETWEEN 1 AND 255),
    occurred_at  timestamptz NOT NULL,
    utm_source   text CHECK (length(utm_source) <= 500),
    utm_medium   text CHECK (length(utm_medium) <= 500),
    utm_campaign text CHECK (length(utm_campaign) <= 500),
    utm_term     text CHECK (length(utm_term) <= 500),
    utm_content  text CHECK (length(utm_content) <= 500),
    event_data   jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(event_data) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT funnel_events_source_key UNIQUE (source_type, external_id, event_type)
);

-- A lead's events in time order: attribution snapshots and the touch trigger read this path.
CREATE INDEX funnel_events_lead_time_idx ON funnel_events (lead_id, occurred_at);
-- Funnel metrics by step and period.
CREATE INDEX funnel_events_type_time_idx ON funnel_events (event_type, occurred_at);

-- Keeps each lead's first and last touch equal to its earliest and latest event. Statement-level with a
-- transition table, so a batch of N events costs one UPDATE, not N. A `converted` event is not a marketing
-- touch (a direct signup's touch is set by the conversion itself).
-- The new rows are always few against a large leads table, and a transition table has no statistics: the
-- join must be a nested loop over leads' primary key whatever the planner guesses, hence the SET clauses.
-- Each lead's first and last new event come from one pass over the new rows (window ranks, then one group
-- per lead, computed once), not from joining two per-lead lists: with hash and merge joins off that join is a
-- nested loop, quadratic in the leads of the statement (a COPY of 188,000 events took many minutes). Seq scans
-- are off too: when leads' statistics still say it is empty (analyzed before a first big sync), the planner
-- would otherwise scan all of leads once per new lead instead of looking each one up by primary key.
CREATE FUNCTION funnel_events_update_touches() RETURNS trigger
LANGUAGE plpgsql
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
AS $$
BEGIN
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
    RETURN NULL;
END;
$$;

CREATE TRIGGER funnel_events_touches
    AFTER INSERT ON funnel_events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION funnel_events_update_touches();

CREATE TABLE funnel_conversions (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id            bigint      NOT NULL REFERENCES leads (id),
    platform_user_id   text        NOT NULL CHECK (length(platform_user_id) BETWEEN 1 AND 255),
    tenant_id          text CHECK (length(tenant_id) <= 255),
    converted_at       timestamptz NOT NULL,
    -- Attribution as it stood at conversion time: later backfills do not rewrite history.
    first_touch_source       text NOT NULL REFERENCES funnel_sources (source_type),
    first_touch_at           timestamptz NOT NULL,
    first_touch_utm_source   text,
    first_touch_utm_medium   text,
    first_touch_utm_campaign text,
    first_touch_utm_term     text,
    first_touch_utm_content  text,
    last_touch_source        text NOT NULL REFERENCES funnel_sources (source_type),
    last_touch_at            timestamptz NOT NULL,
    last_touch_utm_source    text,
    last_touch_utm_medium    text,
    last_touch_utm_campaign  text,
    last_touch_utm_term      text,
    last_touch_utm_content   text,
    seconds_to_conversion    bigint NOT NULL CHECK (seconds_to_conversion >= 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    -- A person converts once, and a platform user is one person: both make a retry idempotent.
    CONSTRAINT funnel_conversions_lead_key UNIQUE (lead_id),
    CONSTRAINT funnel_conversions_platform_user_key UNIQUE (platform_user_id)
);

CREATE INDEX funnel_conversions_time_idx ON funnel_conversions (converted_at);

CREATE TABLE funnel_sync_logs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_type     text        NOT NULL REFERENCES funnel_sources (source_type),
    trigger         text        NOT NULL CHECK (trigger IN ('schedule', 'manual', 'continuation')),
    status          text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'partial')),
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    fetched_count   integer     NOT NULL DEFAULT 0 CHECK (fetched_count >= 0),
    created_count   integer     NOT NULL DEFAULT 0 CHECK (created_count >= 0),
    updated_count   integer     NOT NULL DEFAULT 0 CHECK (updated_count >= 0),
    unchanged_count integer     NOT NULL DEFAULT 0 CHECK (unchanged_count >= 0),
    failed_count    integer     NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
    cursor_before   jsonb,
    cursor_after    jsonb,
    error_message   text,
    CONSTRAINT funnel_sync_logs_finished CHECK ((status = 'running') = (finished_at IS NULL))
);

-- Latest runs of a source, and "is one running" for the status endpoint.
CREATE INDEX funnel_sync_logs_source_time_idx ON funnel_sync_logs (source_type, started_at DESC);
CREATE UNIQUE INDEX funnel_sync_logs_one_running_idx ON funnel_sync_logs (source_type) WHERE status = 'running';

CREATE TABLE webhook_deliveries (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_type   text        NOT NULL REFERENCES funnel_sources (source_type),
    -- The sender's delivery id where it gives one, else derived from the payload: a redelivery has the same key.
    delivery_key  text        NOT NULL CHECK (length(delivery_key) BETWEEN 1 AND 500),
    -- Stored as received, before any processing, so nothing is lost and signatures can be re-checked.
    raw_body      bytea       NOT NULL,
    status        text        NOT NULL DEFAULT 'received'
                              CHECK (status IN ('received', 'processed', 'failed', 'ignored')),
    reason        text,
    received_at   timestamptz NOT NULL DEFAULT now(),
    processed_at  timestamptz,
    CONSTRAINT webhook_deliveries_key UNIQUE (source_type, delivery_key)
);

CREATE INDEX webhook_deliveries_status_idx ON webhook_deliveries (source_type, status, received_at DESC);
