-- Retention (issue 28): the data-retention function removes, every day and in small batches, what is kept no longer
-- than its retention period (docs/retention.md). These are the paths it deletes by, and the one fact it records.

-- Webhook deliveries received before the cutoff, oldest first. Nothing references a delivery (no foreign key; the
-- events it produced carry the order's own ids), so a delivery past its retention goes as a whole row.
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);

-- Finished sync runs before the cutoff. A run is kept while a later run continues it (continues_run_id): this index
-- answers "does a run continue this one" without reading the whole log.
CREATE INDEX funnel_sync_logs_finished_idx ON funnel_sync_logs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX funnel_sync_logs_continues_idx ON funnel_sync_logs (continues_run_id) WHERE continues_run_id IS NOT NULL;

-- When an invitation stopped being usable: a pending one at its expiry, a redeemed one at its redemption, a revoked
-- or replaced one when it was revoked or replaced (both set revoked_at).
CREATE INDEX invitations_ended_idx ON invitations ((CASE status WHEN 'pending' THEN expires_at
                                                                 WHEN 'redeemed' THEN redeemed_at
                                                                 ELSE coalesce(revoked_at, expires_at) END));

-- The first UTC day whose raw usage records are still kept: every record of an earlier day has been rolled up and
-- then removed, so the rollup never recomputes an earlier day (it would find no records and erase its totals).
-- One row, moved only forward, and only under the rollup's own lock.
CREATE TABLE usage_retained_from (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    day      date    NOT NULL
);
