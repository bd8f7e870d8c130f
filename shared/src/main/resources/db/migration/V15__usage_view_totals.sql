-- What the daily and monthly usage views sort, page and total by: per UTC day and month, one row per tenant
-- and user (users view) and one per tenant (tenants view), kept by the rollup beside admin_usage_reports and
-- replaced with it. admin_usage_reports has a row per brand, provider and model as well; summing it for a
-- page meant reading every row of the range. These tables are that sum done once per period.
--
-- Cost is kept as micro-dollars in a bigint: exact (a record's cost has at most 6 decimals, so
-- cost_usd * 10^6 is a whole number), and PostgreSQL sums bigints several times faster than numerics, which
-- is most of a page's time. The views turn it back into numeric(20,6) with micros * 0.000001.

CREATE TABLE usage_user_totals (
    grain        text   NOT NULL CHECK (grain IN ('day', 'month')),
    period_start date   NOT NULL,
    tenant_id    uuid   NOT NULL,
    user_id      uuid,
    tokens       bigint NOT NULL CHECK (tokens >= 0),
    cost_micros  bigint NOT NULL CHECK (cost_micros >= 0),
    CONSTRAINT usage_user_totals_month_start CHECK (grain = 'day' OR extract(day FROM period_start) = 1)
);

-- A page over a range is an index-only scan of this key (the sums ride along in INCLUDE). Records without a
-- user roll into the tenant's one NULL-user row.
CREATE UNIQUE INDEX usage_user_totals_key ON usage_user_totals (grain, period_start, tenant_id, user_id)
    INCLUDE (tokens, cost_micros) NULLS NOT DISTINCT;
-- The tenant_id filter.
CREATE INDEX usage_user_totals_tenant_idx ON usage_user_totals (tenant_id, grain, period_start)
    INCLUDE (user_id, tokens, cost_micros);

CREATE TABLE usage_tenant_totals (
    grain        text   NOT NULL CHECK (grain IN ('day', 'month')),
    period_start date   NOT NULL,
    tenant_id    uuid   NOT NULL,
    tokens       bigint NOT NULL CHECK (tokens >= 0),
    cost_micros  bigint NOT NULL CHECK (cost_micros >= 0),
    CONSTRAINT usage_tenant_totals_month_start CHECK (grain = 'day' OR extract(day FROM period_start) = 1),
    PRIMARY KEY (grain, period_start, tenant_id) INCLUDE (tokens, cost_micros)
);

CREATE INDEX usage_tenant_totals_tenant_idx ON usage_tenant_totals (tenant_id, grain, period_start)
    INCLUDE (tokens, cost_micros);

-- A page's model breakdown reads the rollup rows of its 50 tenants only.
CREATE INDEX admin_usage_reports_tenant_idx ON admin_usage_reports (tenant_id, grain, period_start);
-- Storage is a level reported on few records: the latest level of every series in a range is read from these
-- rows alone, never from the whole range.
CREATE INDEX admin_usage_reports_storage_idx ON admin_usage_reports (grain, period_start)
    INCLUDE (tenant_id, user_id, brand_id, bigquery_storage_gb, storage_reported_at)
    WHERE bigquery_storage_gb IS NOT NULL;

-- The rollups already computed before this migration.
INSERT INTO usage_user_totals (grain, period_start, tenant_id, user_id, tokens, cost_micros)
SELECT grain, period_start, tenant_id, user_id, sum(input_tokens + output_tokens), sum(cost_usd) * 1000000
FROM admin_usage_reports GROUP BY grain, period_start, tenant_id, user_id;

INSERT INTO usage_tenant_totals (grain, period_start, tenant_id, tokens, cost_micros)
SELECT grain, period_start, tenant_id, sum(input_tokens + output_tokens), sum(cost_usd) * 1000000
FROM admin_usage_reports GROUP BY grain, period_start, tenant_id;
