package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.funnel.Emails;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Turns one item of POST /usage/metrics into a validated {@link UsageRecord}, or invalid input naming the field. */
@Singleton
public class UsageRecordRequests {

    static final int NAME_LENGTH = 200;
    static final int KEY_LENGTH = 200;
    static final long MAX_TOKENS = 1_000_000_000_000L;
    static final BigDecimal MAX_AMOUNT = new BigDecimal("99999999999999.999999");
    /**
     * A record's cost at most: the rollups keep a tenant's and user's month in micro-dollars as a bigint, which
     * holds over 9 million records at this maximum (as the token sums hold 4.6 million at theirs).
     */
    static final BigDecimal MAX_COST = new BigDecimal("1000000");
    static final int SCALE = 6;
    private static final Duration MAX_FUTURE = Duration.ofDays(1);
    /** Ids that are never a brand's: a customer naming one would book usage under En Garde's own identity. */
    private static final Set<UUID> NOT_A_BRAND = Set.of(new UUID(0, 0), PlatformIdentity.ORGANIZATION_ID,
            PlatformIdentity.TENANT_ID);
    private static final Pattern PLAN_TIER = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    private final Clock clock;

    public UsageRecordRequests(Clock clock) {
        this.clock = clock;
    }

    public UsageRecord parse(ObjectNode item) {
        String key = JsonFields.requiredText(item, "idempotency_key", KEY_LENGTH);
        Instant occurredAt = JsonFields.instant(item, "occurred_at");
        if (occurredAt == null) {
            throw new InvalidInput("occurred_at", "occurred_at is required");
        }
        // PostgreSQL keeps microseconds: a record's day is decided on what is stored.
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
        if (occurredAt.isBefore(UsageRange.EARLIEST_INSTANT)) {
            throw new InvalidUsageRecord("occurred_at", "occurred_at must not be before " + UsageRange.EARLIEST_INSTANT);
        }
        if (occurredAt.isAfter(clock.instant().plus(MAX_FUTURE))) {
            throw new InvalidInput("occurred_at", "occurred_at must not be more than a day in the future");
        }
        UUID tenantId = JsonFields.uuid(item, "tenant_id");
        if (tenantId == null) {
            throw new InvalidInput("tenant_id", "tenant_id is required");
        }
        String planTier = JsonFields.text(item, "plan_tier", 40);
        if (planTier != null && !PLAN_TIER.matcher(planTier).matches()) {
            throw new InvalidInput("plan_tier", "plan_tier must be lower-case letters, digits and _, such as pro");
        }
        UUID userId = JsonFields.uuid(item, "user_id");
        String email = Emails.normalize(JsonFields.text(item, "user_email", 320));
        if (email != null && !Emails.isValid(email)) {
            throw new InvalidInput("user_email", "user_email is not a valid email address");
        }
        if (email != null && userId == null) {
            throw new InvalidInput("user_id", "user_id is required when user_email is given");
        }
        UUID brandId = JsonFields.uuid(item, "brand_id");
        if (brandId != null && NOT_A_BRAND.contains(brandId)) {
            throw new InvalidUsageRecord("brand_id",
                    "brand_id must name a brand: the nil UUID and the platform's organization and tenant ids are none");
        }
        String brandName = JsonFields.text(item, "brand_name", NAME_LENGTH);
        if (brandName != null && brandId == null) {
            throw new InvalidInput("brand_id", "brand_id is required when brand_name is given");
        }
        UUID organizationId = JsonFields.uuid(item, "organization_id");
        String organizationName = JsonFields.text(item, "organization_name", NAME_LENGTH);
        if (organizationName != null && organizationId == null) {
            throw new InvalidInput("organization_id", "organization_id is required when organization_name is given");
        }
        BigDecimal cost = JsonFields.decimal(item, "cost_usd", SCALE, MAX_COST);
        return new UsageRecord(key, occurredAt, tenantId, JsonFields.text(item, "tenant_name", NAME_LENGTH), planTier,
                organizationId, organizationName, userId, email, brandId, brandName,
                JsonFields.requiredText(item, "provider", 100), JsonFields.requiredText(item, "model", NAME_LENGTH),
                JsonFields.count(item, "input_tokens", MAX_TOKENS), JsonFields.count(item, "output_tokens", MAX_TOKENS),
                cost == null ? BigDecimal.ZERO.setScale(SCALE) : cost,
                JsonFields.decimal(item, "bigquery_storage_gb", SCALE, MAX_AMOUNT),
                JsonFields.count(item, "error_count", Integer.MAX_VALUE));
    }
}
