-- One email normal form, computed in Java only (Emails.normalize: full Unicode case folding, NFC, trimmed) and
-- stored; leads and platform admins are unique by the stored form. The database re-derives nothing: lower()
-- follows the database's collation (ctype), which disagrees with Unicode case folding on some letters (U+2C2F,
-- U+0130, ß), and IS NFC NORMALIZED follows PostgreSQL's Unicode version, not the JVM's. Either in a check
-- would refuse, as an SQLSTATE, an address Java had accepted. What is left is checked byte by byte, whatever
-- the locale: no ASCII capital (folding leaves none: it catches a writer that skipped the normal form),
-- trimmed of ASCII spaces, a length and an @ between two parts.
-- NOT VALID here, validated by V22.1 once it has merged the leads already split by case.
ALTER TABLE leads DROP CONSTRAINT leads_email_normal_form;
ALTER TABLE leads ADD CONSTRAINT leads_email_normal_form CHECK (
        (email COLLATE "C") !~ '[A-Z]'
        AND email = btrim(email)
        AND length(email) BETWEEN 3 AND 254
        AND email LIKE '_%@_%') NOT VALID;

-- A platform admin's email is one more writer of the same normal form (V6 checked lower() under the
-- database's collation: an admin added as Ⱟ@example.com or İnfo@example.com answered an SQLSTATE).
ALTER TABLE platform_admins DROP CONSTRAINT platform_admins_email_check;
ALTER TABLE platform_admins ADD CONSTRAINT platform_admins_email_normal_form CHECK (
        (email COLLATE "C") !~ '[A-Z]'
        AND email = btrim(email)
        AND length(email) BETWEEN 3 AND 254
        AND email LIKE '_%@_%') NOT VALID;
