-- A record whose raw vendor form is unchanged is recognised before it is mapped (issue 29): the record log keeps,
-- next to the fingerprint of what the record maps to, a SHA-256 of the raw record as the vendor sent it together
-- with everything else its mapping reads (the connector's mapping version, its settings, the catalog entries the
-- record refers to). Equal means the record would map to what was written last time, so an unchanged re-sync reads
-- and hashes and writes nothing. NULL (every row written before this, a record a connector maps without its raw
-- form, a record mapped again to resolve a deletion) never matches: the record is mapped and compared as before.
ALTER TABLE sync_records
    ADD COLUMN raw_fingerprint bytea CHECK (raw_fingerprint IS NULL OR length(raw_fingerprint) = 32);
COMMENT ON COLUMN sync_records.raw_fingerprint IS
    'SHA-256 of the record''s raw vendor form and of what else its mapping reads (mapping version, settings, '
    'catalog); NULL when unknown. Equal on a later run: the record is unchanged and is not mapped again.';
