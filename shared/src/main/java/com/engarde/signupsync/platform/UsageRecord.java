package com.engarde.signupsync.platform;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * One usage record as the En Garde backend reports it. Names (tenant, organization, brand, email) create
 * or rename what they name; null leaves what is stored. Money and storage are exact decimals (6 places).
 */
public record UsageRecord(String idempotencyKey, Instant occurredAt, UUID tenantId, String tenantName,
                          String planTier, UUID organizationId, String organizationName, UUID userId,
                          String userEmail, UUID brandId, String brandName, String provider, String model,
                          long inputTokens, long outputTokens, BigDecimal costUsd, BigDecimal bigqueryStorageGb,
                          long errorCount) {

    /** The same record naming no email: its user was erased, and usage is still counted for the tenant. */
    public UsageRecord withoutEmail() {
        return new UsageRecord(idempotencyKey, occurredAt, tenantId, tenantName, planTier, organizationId,
                organizationName, userId, null, brandId, brandName, provider, model, inputTokens, outputTokens, costUsd,
                bigqueryStorageGb, errorCount);
    }

    /** The UTC day the record counts in: rollups never use a local day boundary. */
    public LocalDate day() {
        return occurredAt.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
