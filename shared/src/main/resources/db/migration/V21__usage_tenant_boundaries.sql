-- What one tenant's usage records can reach: only that tenant's own keys and brands.

-- Idempotency keys are unique per tenant: a key another tenant already used is no duplicate. Every stored key
-- is globally unique, so every stored row satisfies the new rule. The key stays first so that the ingest's
-- lookup of a batch's keys (idempotency_key = ANY(...)) remains one scan of this index.
ALTER TABLE usage_metrics ADD CONSTRAINT usage_metrics_tenant_idempotency_key UNIQUE (idempotency_key, tenant_id);
ALTER TABLE usage_metrics DROP CONSTRAINT usage_metrics_idempotency_key;

-- A brand belongs to one tenant, and a record's brand must be its tenant's. The ingest refuses such a record
-- itself (as that record's error); this key makes the rule hold for every writer. NOT VALID: records stored
-- before it may name another tenant's brand, and stay as they are; every new or changed row is checked.
ALTER TABLE platform_brands ADD CONSTRAINT platform_brands_id_tenant UNIQUE (id, tenant_id);
ALTER TABLE usage_metrics DROP CONSTRAINT usage_metrics_brand_id_fkey;
ALTER TABLE usage_metrics ADD CONSTRAINT usage_metrics_brand_of_tenant
    FOREIGN KEY (brand_id, tenant_id) REFERENCES platform_brands (id, tenant_id) NOT VALID;

-- Growth against the 7 days before is unbounded: a tenant going from 1 token a day to the per-record maxima
-- grows by some 10^17 percent, and numeric(12,2) refused it, failing the whole day's rollup for every tenant.
-- Still rounded to 2 decimals by the rollup. Dropping the precision rewrites nothing.
ALTER TABLE tenant_health_metrics ALTER COLUMN tokens_growth_pct TYPE numeric,
                                  ALTER COLUMN cost_growth_pct TYPE numeric;
