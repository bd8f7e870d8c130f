-- En Garde as a platform user: organizations, tenants, users and brands as the En Garde backend names them,
-- the raw usage records it reports (LLM tokens, cost, BigQuery storage), and the rollups the admin views read.
-- Money is numeric (never a float) with 6 decimals, as reported; times are timestamptz, days and months UTC.

CREATE TABLE platform_organizations (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform_tenants (
    id              uuid PRIMARY KEY,
    organization_id uuid REFERENCES platform_organizations (id),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    plan_tier       text        NOT NULL CHECK (plan_tier ~ '^[a-z][a-z0-9_]{0,39}$'),
    -- Unlimited usage is recorded, never refused; its name and plan are the migration's, not a record's.
    unlimited       boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX platform_tenants_plan_idx ON platform_tenants (plan_tier);

-- En Garde's own identity. No user and no password: admins are whoever the admin JWT says they are, and
-- the bootstrap superuser is named by PLATFORM_USER_EMAIL.
INSERT INTO platform_organizations (id, name)
VALUES ('00000000-0000-0000-0000-000000000001', 'En Garde Platform');
INSERT INTO platform_tenants (id, organization_id, name, plan_tier, unlimited)
VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'En Garde Admin',
        'platform', true);

CREATE TABLE platform_users (
    id         uuid PRIMARY KEY,
    email      text CHECK (length(email) <= 320),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform_brands (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid        NOT NULL REFERENCES platform_tenants (id),
    brand_name  text        NOT NULL CHECK (length(brand_name) BETWEEN 1 AND 200),
    purpose     text CHECK (length(purpose) <= 2000),
    is_demo     boolean     NOT NULL DEFAULT false,
    is_template boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A tenant's brand names are unique whatever their case; the admin API answers 409 on a second one.
CREATE UNIQUE INDEX platform_brands_name_key ON platform_brands (tenant_id, lower(brand_name));

-- One row per usage record the backend reported, exactly as reported. The idempotency key makes every
-- delivery of a record after the first a duplicate that changes nothing, however late it comes.
CREATE TABLE usage_metrics (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key     text          NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    occurred_at         timestamptz   NOT NULL,
    tenant_id           uuid          NOT NULL REFERENCES platform_tenants (id),
    user_id             uuid REFERENCES platform_users (id),
    brand_id            uuid REFERENCES platform_brands (id),
    provider            text          NOT NULL CHECK (length(provider) BETWEEN 1 AND 100),
    model               text          NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
    input_tokens        bigint        NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
    output_tokens       bigint        NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
    cost_usd            numeric(20,6) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
    -- A level, not a flow: the storage of the record's tenant, brand and user at occurred_at.
    bigquery_storage_gb numeric(20,6) CHECK (bigquery_storage_gb >= 0),
    error_count         integer       NOT NULL DEFAULT 0 CHECK (error_count >= 0),
    received_at         timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT usage_metrics_idempotency_key UNIQUE (idempotency_key)
);

-- The rollup reads one UTC day at a time and the realtime view the last 24 hours.
CREATE INDEX usage_metrics_occurred_idx ON usage_metrics (occurred_at);

-- Days whose raw records changed since their rollup. Each ingest appends the days of the records it
-- inserted (append-only, so concurrent ingests never wait on one another); the rollup deletes the rows it
-- saw and recomputes those days in the same transaction. A record committed after that delete has left its
-- own row, so the next run picks it up: a late record is never lost from the rollups.
CREATE TABLE usage_dirty_days (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day       date        NOT NULL,
    marked_at timestamptz NOT NULL DEFAULT now()
);

-- The rollups at daily and monthly grain, per tenant, user, brand, provider and model: every view by
-- tenant, user, organization or brand is a sum of these rows. A day's rows are replaced as a whole.
CREATE TABLE admin_usage_reports (
    grain               text          NOT NULL CHECK (grain IN ('day', 'month')),
    period_start        date          NOT NULL,
    tenant_id           uuid          NOT NULL,
    organization_id     uuid,
    user_id             uuid,
    brand_id            uuid,
    provider            text          NOT NULL,
    model               text          NOT NULL,
    record_count        bigint        NOT NULL,
    input_tokens        bigint        NOT NULL,
    output_tokens       bigint        NOT NULL,
    cost_usd            numeric(20,6) NOT NULL,
    error_count         bigint        NOT NULL,
    -- The latest storage level reported in the period for this key, and when it was reported: over any
    -- range, a tenant's, brand's or user's storage is the latest level of each of its series.
    bigquery_storage_gb numeric(20,6),
    storage_reported_at timestamptz,
    computed_at         timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT admin_usage_reports_month_start CHECK (grain = 'day' OR extract(day FROM period_start) = 1)
);

CREATE UNIQUE INDEX admin_usage_reports_key ON admin_usage_reports
    (grain, period_start, tenant_id, user_id, brand_id, provider, model) NULLS NOT DISTINCT;
-- The views filter by grain and period, then by tenant or brand.
CREATE INDEX admin_usage_reports_brand_idx ON admin_usage_reports (brand_id, grain, period_start)
    WHERE brand_id IS NOT NULL;

-- Per tenant per UTC day: activity and its growth against the average of the previous 7 days (null when
-- those days had none).
CREATE TABLE tenant_health_metrics (
    tenant_id          uuid          NOT NULL,
    day                date          NOT NULL,
    active_users       integer       NOT NULL,
    record_count       bigint        NOT NULL,
    llm_tokens         bigint        NOT NULL,
    cost_usd           numeric(20,6) NOT NULL,
    error_count        bigint        NOT NULL,
    tokens_growth_pct  numeric(12,2),
    cost_growth_pct    numeric(12,2),
    computed_at        timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, day)
);

CREATE INDEX tenant_health_metrics_day_idx ON tenant_health_metrics (day);
