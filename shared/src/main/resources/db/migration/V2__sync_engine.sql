-- The sync engine's bookkeeping.
--
-- funnel_sync_logs gains a claim: the invocation carrying a run out (owner) and its last sign of life
-- (heartbeat_at, moved at every page checkpoint). A run whose heartbeat is older than the longest an
-- invocation can live was abandoned by a dead invocation and may be taken over; every checkpoint checks the
-- owner, so a taken-over invocation that wakes up cannot write over its successor.

ALTER TABLE funnel_sync_logs
    ADD COLUMN owner            text CHECK (length(owner) <= 200),
    ADD COLUMN heartbeat_at     timestamptz NOT NULL DEFAULT now(),
    -- A run that reached its time budget is finished as partial and continued by a new run pointing back.
    ADD COLUMN continues_run_id bigint REFERENCES funnel_sync_logs (id),
    -- The first records of the run that could not be mapped, as [{"external_id": "...", "reason": "..."}];
    -- failed_count has them all.
    ADD COLUMN failed_records   jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(failed_records) = 'array');

-- What the engine has already written for each source record, so that a re-sync of unchanged data reads
-- one row per record and writes nothing, and a record the source no longer lists can be noticed.
CREATE TABLE sync_records (
    source_type     text        NOT NULL REFERENCES funnel_sources (source_type),
    external_id     text        NOT NULL CHECK (length(external_id) BETWEEN 1 AND 255),
    -- The record's place in the source's listing order (EasyAppointments: the appointment id). A page of a
    -- listing sorted by it covers a key range; a stored record inside the range but not on the page is gone.
    sort_key        bigint,
    -- When the record happens (EasyAppointments: the start): incremental listings are date windows.
    window_at       timestamptz,
    -- MD5 of what the record maps to (event types, person, UTM, event data): equal means nothing to write.
    fingerprint     bytea       NOT NULL CHECK (length(fingerprint) = 16),
    -- Set when the source stopped listing the record (EasyAppointments hard-deletes cancelled appointments).
    deleted_at      timestamptz,
    first_synced_at timestamptz NOT NULL DEFAULT now(),
    last_changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_type, external_id)
);

-- The per-page range read: stored records of a source between two listing keys.
CREATE INDEX sync_records_sort_key_idx ON sync_records (source_type, sort_key) WHERE sort_key IS NOT NULL;
