package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.QueryValues;
import com.engarde.signupsync.input.JsonFields;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The filters and page of a usage view, from its query parameters. Daily views cover UTC days
 * {@code date_from..date_to} (default: the last 30); monthly views the whole UTC months those days fall in
 * (default: the last 12); realtime the 24 hours before now, whatever the dates say.
 */
public record UsageQuery(ViewMode viewMode, UsageRange range, Instant since, String planTier, UUID tenantId,
                         UUID brandId, int page, int pageSize) {

    public static final int MAX_PAGE_SIZE = 200;
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** Two years of days and a little: what the rollups hold. */
    public static final int MAX_DAYS = 800;
    private static final Pattern PLAN_TIER = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    /** From the request's query parameters (the first value of each); a bad one is invalid input naming it. */
    public static UsageQuery parse(Map<String, String> params, Clock clock) {
        String mode = blankToNull(params.get("view_mode"));
        ViewMode viewMode = mode == null ? ViewMode.DAILY : ViewMode.fromId(mode).orElseThrow(() ->
                new InvalidInput("view_mode", "view_mode must be one of " + ViewMode.NAMES));
        Instant now = clock.instant();
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        UsageRange range = UsageRange.parse(params.get("date_from"), params.get("date_to"),
                defaultRange(viewMode, today).from(), today, MAX_DAYS);
        if (viewMode == ViewMode.MONTHLY) {
            range = new UsageRange(range.from().withDayOfMonth(1), range.to().withDayOfMonth(1));
        }
        String planTier = blankToNull(params.get("plan_tier"));
        if (planTier != null && !PLAN_TIER.matcher(planTier).matches()) {
            throw new InvalidInput("plan_tier", "plan_tier must be lower-case letters, digits and _, such as pro");
        }
        String tenant = blankToNull(params.get("tenant_id"));
        String brand = blankToNull(params.get("brand_id"));
        return new UsageQuery(viewMode, range, now.minusSeconds(24 * 3600), planTier,
                tenant == null ? null : JsonFields.uuid("tenant_id", tenant),
                brand == null ? null : JsonFields.uuid("brand_id", brand),
                number(params, "page", 1, 1_000_000), number(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
    }

    /**
     * What a view shows without dates on {@code today}: the last 30 days, or the last 12 months (by their first
     * days, as a monthly range is held). The rollup precomputes exactly these.
     */
    static UsageRange defaultRange(ViewMode viewMode, LocalDate today) {
        return viewMode == ViewMode.MONTHLY ? new UsageRange(today.withDayOfMonth(1).minusMonths(11), today.withDayOfMonth(1))
                : new UsageRange(today.minusDays(29), today);
    }

    private static int number(Map<String, String> params, String name, int fallback, int max) {
        String value = blankToNull(params.get(name));
        if (value == null) {
            return fallback;
        }
        return (int) QueryValues.number(name, value, 1, max);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    public long offset() {
        return (long) (page - 1) * pageSize;
    }
}
