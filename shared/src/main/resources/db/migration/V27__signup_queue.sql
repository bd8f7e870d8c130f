-- From booker to platform user (issue 27): the suppression list, the reviewed signup queue and its invitations.

-- People the service must never queue, invite or send to: who opted out, and (the privacy issue) who was erased.
-- Only the SHA-256 of the email's normal form is kept, so the list outlives the person's other data.
CREATE TABLE suppressed_emails (
    email_hash bytea       PRIMARY KEY CHECK (length(email_hash) = 32),
    reason     text        NOT NULL CHECK (reason IN ('unsubscribed', 'blocklisted', 'erasure', 'admin')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One entry per person (lead), ever: adding the same person again is a no-op by this key, not by a check
-- before the insert, so two concurrent adds queue them once. A rejected person stays rejected.
CREATE TABLE signup_queue (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id         bigint      NOT NULL REFERENCES leads (id),
    source_type     text        NOT NULL REFERENCES funnel_sources (source_type),
    -- What an admin decides on, as it stood when the person was queued.
    first_name      text CHECK (length(first_name) <= 200),
    last_name       text CHECK (length(last_name) <= 200),
    phone           text CHECK (length(phone) <= 50),
    total_bookings  integer     NOT NULL DEFAULT 0 CHECK (total_bookings >= 0),
    services        text[]      NOT NULL DEFAULT '{}',
    last_booking_at timestamptz,
    -- pending -> approved (invited) -> accepted (redeemed); pending -> rejected.
    status          text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'approved', 'rejected', 'accepted')),
    reason          text CHECK (length(reason) <= 500),
    decided_by      text CHECK (length(decided_by) <= 200),
    decided_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT signup_queue_lead_key UNIQUE (lead_id),
    CONSTRAINT signup_queue_decided CHECK ((status = 'pending') = (decided_at IS NULL))
);

-- The listing: by status, oldest first, paged by id.
CREATE INDEX signup_queue_status_idx ON signup_queue (status, id);

-- An invitation's token is 32 random bytes given once to the person; only its SHA-256 is stored. A resend
-- replaces the live invitation (the old token dies), so at most one is pending per queue entry.
CREATE TABLE invitations (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue_id      bigint      NOT NULL REFERENCES signup_queue (id),
    token_hash    bytea       NOT NULL CHECK (length(token_hash) = 32),
    status        text        NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'redeemed', 'revoked', 'replaced')),
    expires_at    timestamptz NOT NULL,
    created_by    text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- The last send: its time and the vendor's message id, or why it failed (never the token).
    sent_at       timestamptz,
    message_id    text CHECK (length(message_id) <= 200),
    send_error    text CHECK (length(send_error) <= 500),
    redeemed_at   timestamptz,
    revoked_at    timestamptz,
    -- The platform user this invitation became (POST /funnel/conversion after the redemption).
    conversion_id bigint      REFERENCES funnel_conversions (id),
    CONSTRAINT invitations_token_key UNIQUE (token_hash),
    CONSTRAINT invitations_redeemed CHECK ((status = 'redeemed') = (redeemed_at IS NOT NULL))
);

CREATE UNIQUE INDEX invitations_one_live ON invitations (queue_id) WHERE status = 'pending';
CREATE INDEX invitations_queue_idx ON invitations (queue_id, id);
