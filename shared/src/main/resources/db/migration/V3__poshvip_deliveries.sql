-- Webhook deliveries that can be explained and replayed without reading their bodies, and a count of the
-- deliveries that were refused. Posh.VIP has no pull API: a delivery lost here is lost for good, so every
-- authenticated one is kept, whatever becomes of it. Never a secret or a signature in any column.

ALTER TABLE webhook_deliveries
    -- The sender's own name for what happened (new_order, purchase.refunded, ...), as sent; null if unreadable.
    ADD COLUMN event_type  text CHECK (length(event_type) <= 100),
    -- How the delivery proved it came from the sender: Posh-Secret header, a signature of the body alone, or
    -- a Standard Webhooks signature of id, timestamp and body.
    ADD COLUMN auth_scheme text CHECK (auth_scheme IN ('shared-secret', 'signature', 'standard-webhooks')),
    -- A few request headers for inspection (content type, user agent, webhook id and timestamp); the
    -- receiver chooses them, so no credential is ever among them.
    ADD COLUMN headers     jsonb   NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(headers) = 'object'),
    -- How many times processing ran: the first time at receipt, then once per replay.
    ADD COLUMN attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- Bodies over 1 MB are refused with 413 before they get here.
    ADD CONSTRAINT webhook_deliveries_body_size CHECK (octet_length(raw_body) <= 1048576),
    -- processed_at is when processing last settled the delivery, whatever it decided.
    ADD CONSTRAINT webhook_deliveries_settled CHECK ((status = 'received') = (processed_at IS NULL));

-- The replay path: deliveries of a source still to (re)process, oldest first. Partial, so it stays as small
-- as the backlog rather than the history.
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (source_type, id)
    WHERE status IN ('received', 'failed');
-- The listing path: a source's most recent deliveries, any status.
CREATE INDEX webhook_deliveries_recent_idx ON webhook_deliveries (source_type, id DESC);

-- Refused deliveries (wrong secret, bad signature, stale timestamp, ...) are counted per day and reason and
-- never stored: an unauthenticated body is nobody's data, and storing it would let anyone fill the table.
CREATE TABLE webhook_rejections (
    source_type text        NOT NULL REFERENCES funnel_sources (source_type),
    day         date        NOT NULL,
    reason      text        NOT NULL CHECK (reason IN ('not_configured', 'missing_credentials', 'wrong_secret',
                                                       'bad_signature', 'stale_timestamp')),
    count       bigint      NOT NULL CHECK (count > 0),
    last_at     timestamptz NOT NULL,
    PRIMARY KEY (source_type, day, reason)
);
