-- Subject access and erasure (issue 28): the suppression list becomes keyed, and an erasure's steps are recorded.

-- A keyed hash (HMAC-SHA256; crypto.PersonKey) instead of a bare SHA-256: a bare hash of an email can be tested
-- against guesses by whoever reads the table, a keyed one only with the key. The key is 32 random bytes made once,
-- kept below sealed under SIGNUP_SYNC_ENCRYPTION_KEY (so the database alone does not give it) and re-sealed by a
-- key rotation like stored credentials, so rotating the encryption key never changes a person's hash.
-- Rows written before this migration are bare hashes of people whose email the service cannot know any more, so
-- they stay, marked unkeyed, and the check reads both kinds; every row added from now on is keyed.
ALTER TABLE suppressed_emails ADD COLUMN keyed boolean NOT NULL DEFAULT false;
ALTER TABLE suppressed_emails ALTER COLUMN keyed SET DEFAULT true;

CREATE TABLE person_key (
    id          text        PRIMARY KEY CHECK (id = 'default'),
    key_version text        NOT NULL CHECK (key_version ~ '^[0-9a-f]{16}$'),
    nonce       bytea       NOT NULL CHECK (length(nonce) = 12),
    -- 32 bytes of key and the 16-byte tag.
    ciphertext  bytea       NOT NULL CHECK (length(ciphertext) = 48),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One erasure of one person. The person is known only by the same keyed hash as the suppression list, so asking
-- again for an erased email finds its erasure (and retries what is left) without the email being stored.
CREATE TABLE erasures (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email_hash   bytea       NOT NULL CHECK (length(email_hash) = 32),
    requested_by text        NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 200),
    -- running: a step is not done yet (a destination that failed is retried by asking for the erasure again).
    status       text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done')),
    requested_at timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    CONSTRAINT erasures_one_per_person UNIQUE (email_hash),
    CONSTRAINT erasures_finished CHECK ((status = 'done') = (finished_at IS NOT NULL))
);

-- What each step did: a table the database part anonymised or deleted in (rows touched), or a destination the
-- person was deleted from (attempts and the last failure, which never carries the vendor's body).
CREATE TABLE erasure_steps (
    erasure_id   bigint      NOT NULL REFERENCES erasures (id),
    step         text        NOT NULL CHECK (step ~ '^[a-z][a-z0-9_.]{1,79}$'),
    kind         text        NOT NULL CHECK (kind IN ('table', 'destination')),
    status       text        NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    rows         integer     NOT NULL DEFAULT 0 CHECK (rows >= 0),
    attempts     integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   text        CHECK (length(last_error) <= 500),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (erasure_id, step)
);

-- Records a sync left unwritten because their person is on the suppression list (erased or opted out): neither
-- created nor failed (SyncCounts.suppressed).
ALTER TABLE funnel_sync_logs ADD COLUMN suppressed_count integer NOT NULL DEFAULT 0 CHECK (suppressed_count >= 0);

-- Every write path (events, syncs, webhooks, usage users) asks whether a person was erased; most of the time no one
-- was, which this index answers without reading the opt-outs.
CREATE INDEX suppressed_emails_erased_idx ON suppressed_emails (email_hash) WHERE reason = 'erasure';

-- An erased lead stays, anonymised (its email is erased-<id>@erased.invalid, no name or phone), so that funnel
-- counts do not change; this marks it, so that nothing sends to, queues or invites it.
ALTER TABLE leads ADD COLUMN erased_at timestamptz;
