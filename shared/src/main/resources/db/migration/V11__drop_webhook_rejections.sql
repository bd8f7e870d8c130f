-- Refused webhook deliveries are counted as a CloudWatch metric (WebhookRefused, by source and reason; one
-- embedded-metric log line per refusal, see webhooks.WebhookRejections), not in the database: a flood of forged
-- requests must cost no write, no row lock and no connection beyond the one the function already holds.
-- Nothing writes or reads this table any more.
DROP TABLE webhook_rejections;
