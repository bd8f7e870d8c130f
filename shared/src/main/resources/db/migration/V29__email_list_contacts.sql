-- The master email list (issue 27): Brevo is a destination whose runs the engine logs under its own row.
INSERT INTO funnel_sources (source_type, display_name, kind) VALUES ('brevo', 'Brevo', 'destination')
    ON CONFLICT (source_type) DO NOTHING;

-- What was last sent to a Brevo list per person, so that an unchanged contact is not sent again. The person is
-- known by the SHA-256 of the email's normal form (as suppressed_emails), which an erasure computes to find the row.
CREATE TABLE email_list_contacts (
    email_hash   bytea       NOT NULL CHECK (length(email_hash) = 32),
    list_id      bigint      NOT NULL CHECK (list_id > 0),
    content_hash bytea       NOT NULL CHECK (length(content_hash) = 32),
    sent_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (email_hash, list_id)
);
