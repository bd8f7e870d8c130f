-- A continuation that waits for a vendor's quota to reset.
--
-- A run that meets a daily limit (Zoom's 429 with X-RateLimit-Type: Daily-limit, reset at midnight UTC) ends as
-- partial and hands over to a continuation run that may not be carried out before not_before: its claim is
-- refused until then, a dispatch before then answers it without starting anything (no retry storm against a
-- spent quota), and the first dispatch or delayed bus event after then carries it out. A waiting run is not
-- stale before not_before: nobody is expected to hold it until then.
ALTER TABLE funnel_sync_logs
    ADD COLUMN not_before timestamptz;
