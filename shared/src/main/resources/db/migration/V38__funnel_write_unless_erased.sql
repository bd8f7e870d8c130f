-- A funnel write and the erasure check in one round trip (issue 29: a single event paid a round trip of its own
-- to ask whether anyone was ever erased, before its write).
--
-- Erased people are recognised by a keyed hash of their email, which only the functions can compute (the key
-- is theirs, not the database's); so the check that needs no key, whether any erasure is recorded at all, is all
-- the database can do. This function does that check and, when no erasure is recorded, the write: what
-- write_funnel_events answers. When one is, it writes nothing and answers a single row whose w_event_id is null
-- (a written event always has one): the caller then looks its people up by their keyed hashes and writes those
-- that were not erased, as before. The check and the write are one statement's work in the same transaction,
-- exactly as the separate check and write were.
CREATE FUNCTION write_funnel_events_unless_erased(p_emails text[], p_first_names text[], p_last_names text[],
                                                  p_phones text[], p_sources text[], p_types text[],
                                                  p_external_ids text[], p_occurred timestamptz[],
                                                  p_utm_sources text[], p_utm_media text[], p_utm_campaigns text[],
                                                  p_utm_terms text[], p_utm_contents text[], p_data jsonb[])
RETURNS TABLE (w_event_id bigint, w_lead_id bigint, w_source text, w_external_id text, w_type text,
               w_created_at timestamptz)
LANGUAGE plpgsql
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM suppressed_emails WHERE reason = 'erasure') THEN
        RETURN QUERY SELECT NULL::bigint, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::timestamptz;
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM write_funnel_events(p_emails, p_first_names, p_last_names, p_phones, p_sources,
                                                   p_types, p_external_ids, p_occurred, p_utm_sources, p_utm_media,
                                                   p_utm_campaigns, p_utm_terms, p_utm_contents, p_data);
END;
$$;
