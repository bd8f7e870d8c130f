-- Platform admins, the audit log of their writes, and source credentials sealed under the encryption key.

-- Who may use the admin routes besides superusers (the is_superuser claim of the En Garde backend's JWT):
-- a user named by the token's subject (user id) or by its email. Exactly one of the two per row.
CREATE TABLE platform_admins (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    text CHECK (length(user_id) BETWEEN 1 AND 200),
    -- Normalized like leads.email, so a token's email matches whatever case the admin typed.
    email      text CHECK (email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254 AND email LIKE '_%@_%'),
    added_by   text        NOT NULL CHECK (length(added_by) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT platform_admins_one_identity CHECK ((user_id IS NULL) <> (email IS NULL))
);

-- The lookup at every admin request is by either identity; both unique, so adding one twice is idempotent.
CREATE UNIQUE INDEX platform_admins_user_id_key ON platform_admins (user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX platform_admins_email_key ON platform_admins (email) WHERE email IS NOT NULL;

-- Every admin write, committed in the same transaction as the write itself. summary never holds a secret or
-- a credential value (the writers put field names there, never values).
CREATE TABLE platform_admin_actions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_subject text        NOT NULL CHECK (length(actor_subject) BETWEEN 1 AND 200),
    actor_email   text CHECK (length(actor_email) <= 254),
    action        text        NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.]{1,79}$'),
    target_type   text        NOT NULL CHECK (length(target_type) BETWEEN 1 AND 80),
    target_id     text CHECK (length(target_id) <= 200),
    request_id    text CHECK (length(request_id) <= 200),
    summary       jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(summary) = 'object'),
    occurred_at   timestamptz NOT NULL DEFAULT now()
);

-- The audit listing is newest first, paged by id; each filter narrows it and has its own index.
CREATE INDEX platform_admin_actions_time_idx ON platform_admin_actions (occurred_at DESC, id DESC);
CREATE INDEX platform_admin_actions_actor_idx ON platform_admin_actions (actor_subject, id DESC);
CREATE INDEX platform_admin_actions_action_idx ON platform_admin_actions (action, id DESC);
CREATE INDEX platform_admin_actions_target_idx ON platform_admin_actions (target_type, target_id, id DESC);

-- A source's credentials as an admin stored them: AES-256-GCM over the JSON of its fields, with the source type
-- and key version as associated data, so a row copied to another source, or relabelled with another key
-- version, does not open. No foreign key to funnel_sources: Brevo is a destination with credentials, not a
-- funnel source.
CREATE TABLE source_credentials (
    source_type text        PRIMARY KEY CHECK (source_type ~ '^[a-z][a-z0-9_]{1,39}$'),
    -- Which key sealed the row (a fingerprint of the key, never the key): a rotation re-seals every row
    -- whose version is not the current key's.
    key_version text        NOT NULL CHECK (key_version ~ '^[0-9a-f]{16}$'),
    nonce       bytea       NOT NULL CHECK (length(nonce) = 12),
    ciphertext  bytea       NOT NULL CHECK (length(ciphertext) BETWEEN 17 AND 65536),
    updated_by  text        NOT NULL CHECK (length(updated_by) BETWEEN 1 AND 200),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Rotation finds the rows still under an older key.
CREATE INDEX source_credentials_key_version_idx ON source_credentials (key_version);

-- The outcome of the last verify call per source, whatever store its credentials came from. message is the
-- vendor's error in plain words, never a raw body.
CREATE TABLE source_verifications (
    source_type text        PRIMARY KEY CHECK (source_type ~ '^[a-z][a-z0-9_]{1,39}$'),
    verified_at timestamptz NOT NULL,
    succeeded   boolean     NOT NULL,
    message     text CHECK (length(message) <= 500)
);
