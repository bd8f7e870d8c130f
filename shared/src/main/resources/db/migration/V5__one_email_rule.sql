-- One normal form of a lead's email, the same rule as Emails.normalize in Java: NFC, trimmed, and ASCII
-- letters lower-cased, nothing else. lower() under the database's collation folds other letters too, and
-- differently from Java for some (U+2C2F), so a value Java had normalized could fail the old check: a 500
-- for a valid address. lower() under the "C" collation folds ASCII only, whatever the database's collation.
ALTER TABLE leads DROP CONSTRAINT leads_email_check;

-- NOT VALID: rows written before this rule are kept as they are (merging spellings of one person is a
-- data fix of its own); every row written from now on is checked.
ALTER TABLE leads ADD CONSTRAINT leads_email_normal_form CHECK (
        email = lower(email COLLATE "C")
        AND email = btrim(email)
        AND email IS NFC NORMALIZED
        AND length(email) BETWEEN 3 AND 254
        AND email LIKE '_%@_%') NOT VALID;
