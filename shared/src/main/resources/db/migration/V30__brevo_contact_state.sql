-- What the Brevo account holds, as the list sync last read it (GET /v3/contacts?modifiedSince=...), so that a sync
-- never subscribes again a contact who opted out in Brevo and sends a changed contact Brevo already holds in a
-- batch update instead of one request each (issue 27). The person is known by the SHA-256 of the email's normal
-- form, as in email_list_contacts and suppressed_emails, which an erasure computes to find the row.
CREATE TABLE brevo_contacts (
    email_hash            bytea       PRIMARY KEY CHECK (length(email_hash) = 32),
    -- Blocklisted for email campaigns (emailBlacklisted): never added to a list, never updated.
    blocklisted           boolean     NOT NULL DEFAULT false,
    -- The lists the contact is in (listIds) and the ones it unsubscribed from (listUnsubscribed).
    list_ids              bigint[]    NOT NULL DEFAULT '{}',
    unsubscribed_list_ids bigint[]    NOT NULL DEFAULT '{}',
    -- Brevo held the contact once and no longer does (a batch update answered document_not_found): deleting a
    -- contact in Brevo erases its blocklist status, so the sync never creates it again.
    gone                  boolean     NOT NULL DEFAULT false,
    seen_at               timestamptz NOT NULL DEFAULT now()
);

-- How far the sync has read the account's changes: the next read asks for what was modified since then (less an
-- overlap for clocks). One row per Brevo account, which is the one the API key names.
CREATE TABLE brevo_contact_reads (
    account    text        PRIMARY KEY CHECK (account = 'default'),
    read_until timestamptz NOT NULL
);
