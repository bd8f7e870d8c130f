-- What the usage views read instead of summing a range of view totals (V15), all kept by the rollup in the
-- transaction that replaces the periods they derive from:
--
--   usage_user_running / usage_tenant_running: per key, at each period the key has a row, the key's totals
--     from its first period through that one (prefix sums). A range's total for a key is the running total at
--     its last period up to date_to minus the one at its last period before date_from: two index reads per
--     key, however long the range.
--   usage_running_keys: every (tenant, user) key a grain ever had, the list those reads start from.
--   usage_storage_levels: per storage series (tenant, user, brand) and period, its latest level in that
--     period. A range's level per series is the one of its last period in the range.
--   usage_default_pages / usage_default_totals: the ranked rows and totals of what the admin frontend opens
--     (view_mode alone: the last 30 days, the last 12 months), recomputed at the end of every rollup run for
--     the default ranges of that run's day.
--
-- Records without a user (or brand) are keyed by the nil UUID here, so every key column is NOT NULL and a
-- probe is a plain equality on the primary key; the views turn it back into NULL.

CREATE TABLE usage_user_running (
    grain          text   NOT NULL CHECK (grain IN ('day', 'month')),
    tenant_id      uuid   NOT NULL,
    user_key       uuid   NOT NULL,
    period_start   date   NOT NULL,
    tokens_through bigint NOT NULL CHECK (tokens_through >= 0),
    micros_through bigint NOT NULL CHECK (micros_through >= 0),
    PRIMARY KEY (grain, tenant_id, user_key, period_start) INCLUDE (tokens_through, micros_through)
);

CREATE TABLE usage_tenant_running (
    grain          text   NOT NULL CHECK (grain IN ('day', 'month')),
    tenant_id      uuid   NOT NULL,
    period_start   date   NOT NULL,
    tokens_through bigint NOT NULL CHECK (tokens_through >= 0),
    micros_through bigint NOT NULL CHECK (micros_through >= 0),
    PRIMARY KEY (grain, tenant_id, period_start) INCLUDE (tokens_through, micros_through)
);

-- Kept when a key's rows go (an erased user's key finds no running row and yields no view row).
CREATE TABLE usage_running_keys (
    grain     text NOT NULL CHECK (grain IN ('day', 'month')),
    tenant_id uuid NOT NULL,
    user_key  uuid NOT NULL,
    PRIMARY KEY (grain, tenant_id, user_key)
);

CREATE TABLE usage_storage_levels (
    grain        text          NOT NULL CHECK (grain IN ('day', 'month')),
    period_start date          NOT NULL,
    tenant_id    uuid          NOT NULL,
    user_key     uuid          NOT NULL,
    brand_key    uuid          NOT NULL,
    storage_gb   numeric(20,6) NOT NULL CHECK (storage_gb >= 0),
    PRIMARY KEY (grain, period_start, tenant_id, user_key, brand_key) INCLUDE (storage_gb)
);

-- The tenant_id filter of a range's storage.
CREATE INDEX usage_storage_levels_tenant_idx ON usage_storage_levels (tenant_id, grain, period_start);

CREATE TABLE usage_default_pages (
    grain        text          NOT NULL CHECK (grain IN ('day', 'month')),
    row_kind     text          NOT NULL CHECK (row_kind IN ('users', 'tenants')),
    rank         integer       NOT NULL CHECK (rank >= 1),
    tenant_id    uuid          NOT NULL,
    user_id      uuid,
    tokens       bigint        NOT NULL,
    cost_micros  bigint        NOT NULL,
    storage_gb   numeric(20,6) NOT NULL,
    -- The model breakdown, kept for the first ranks only (the pages a frontend opens); later pages are answered
    -- from the running totals.
    models       jsonb,
    PRIMARY KEY (grain, row_kind, rank)
);

CREATE TABLE usage_default_totals (
    grain           text          NOT NULL CHECK (grain IN ('day', 'month')),
    row_kind        text          NOT NULL CHECK (row_kind IN ('users', 'tenants')),
    range_from      date          NOT NULL,
    range_to        date          NOT NULL,
    ranks_with_models integer     NOT NULL,
    total_count     bigint        NOT NULL,
    total_tokens    bigint        NOT NULL,
    total_micros    bigint        NOT NULL,
    total_storage   numeric(20,6) NOT NULL,
    platform_micros bigint        NOT NULL,
    PRIMARY KEY (grain, row_kind)
);

-- The rollups already computed before this migration.
INSERT INTO usage_user_running (grain, tenant_id, user_key, period_start, tokens_through, micros_through)
SELECT grain, tenant_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'), period_start,
       sum(tokens) OVER w, sum(cost_micros) OVER w
FROM usage_user_totals
WINDOW w AS (PARTITION BY grain, tenant_id, user_id ORDER BY period_start);

INSERT INTO usage_tenant_running (grain, tenant_id, period_start, tokens_through, micros_through)
SELECT grain, tenant_id, period_start, sum(tokens) OVER w, sum(cost_micros) OVER w
FROM usage_tenant_totals
WINDOW w AS (PARTITION BY grain, tenant_id ORDER BY period_start);

INSERT INTO usage_running_keys (grain, tenant_id, user_key)
SELECT DISTINCT grain, tenant_id, user_key FROM usage_user_running;

INSERT INTO usage_storage_levels (grain, period_start, tenant_id, user_key, brand_key, storage_gb)
SELECT grain, period_start, tenant_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'),
       coalesce(brand_id, '00000000-0000-0000-0000-000000000000'),
       (array_agg(bigquery_storage_gb ORDER BY storage_reported_at DESC, bigquery_storage_gb DESC))[1]
FROM admin_usage_reports WHERE bigquery_storage_gb IS NOT NULL
GROUP BY grain, period_start, tenant_id, user_id, brand_id;
