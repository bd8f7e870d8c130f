-- The engine's connector contract no longer assumes a numeric listing key nor a date window (issue 8).
--
-- sort_key: a record's place in its listing as SortKey's bytes, whose unsigned byte order (the order PostgreSQL
-- gives bytea) is the key's order: a tag byte (1: number, 2: text), then a number as 8 big-endian bytes with
-- the sign bit flipped, or a text as UTF-8. Existing keys are numbers (EasyAppointments' appointment ids);
-- flipping the sign bit of a bigint is XOR with its lowest value.
ALTER TABLE sync_records
    ALTER COLUMN sort_key TYPE bytea
    USING CASE WHEN sort_key IS NULL THEN NULL
               ELSE '\x01'::bytea || int8send(sort_key # (-9223372036854775808)::bigint) END;
ALTER TABLE sync_records ADD CONSTRAINT sync_records_sort_key_tagged
    CHECK (sort_key IS NULL OR (length(sort_key) >= 1 AND get_byte(sort_key, 0) IN (1, 2)));
COMMENT ON COLUMN sync_records.sort_key IS
    'The record''s place in its source''s listing order (SortKey bytes; compared as bytea). A page of a listing '
    'sorted by it covers a key range; a stored record inside the range but not on the page is a deletion candidate.';

-- window_at was named for EasyAppointments' date-window passes; it is when the record happens (an appointment's
-- start, a webinar's), which a range of a listing filtered by time uses to say which stored records it covers.
ALTER TABLE sync_records RENAME COLUMN window_at TO happens_at;
COMMENT ON COLUMN sync_records.happens_at IS
    'When what the record stands for happens, where the source has it; a key range restricted to records '
    'happening from a time covers only those at or after it (or with none).';
