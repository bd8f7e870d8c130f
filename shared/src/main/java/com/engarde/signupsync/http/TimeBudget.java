package com.engarde.signupsync.http;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long an invocation may keep working. In Lambda it ends a reserve before the function's deadline, so
 * that the last checkpoint and the continuation event are out before the runtime stops the invocation;
 * in-process (local run, tests) it is unlimited unless configured.
 * <p>
 * It also counts what the invocation spent of its vendors' request limits: {@link VendorHttp} adds every
 * request it sends (retries included), and the sync engine records the count in the run log.
 */
public record TimeBudget(Instant deadline, AtomicInteger requests) {

    public TimeBudget(Instant deadline) {
        this(deadline, new AtomicInteger());
    }

    public static TimeBudget unlimited() {
        return new TimeBudget(null);
    }

    /** The same deadline with a request count of its own (one per run carried out). */
    public TimeBudget counting() {
        return new TimeBudget(deadline);
    }

    /** Requests sent within this budget so far. */
    public int requestCount() {
        return requests.get();
    }

    /** The budget of an invocation with {@code remaining} time left at {@code now}, keeping back {@code reserve}. */
    public static TimeBudget of(Instant now, Duration remaining, Duration reserve) {
        return new TimeBudget(now.plus(remaining).minus(reserve));
    }

    /** True when {@code work} started at {@code now} would still end within the budget. */
    public boolean allows(Instant now, Duration work) {
        return deadline == null || !now.plus(work).isAfter(deadline);
    }

    /**
     * The time a step started at {@code now} may take: its own {@code timeout}, or what the budget has left when
     * that is less. A timeout is a ceiling, not a forecast, so a step is clipped to the budget rather than refused.
     */
    public Duration clip(Instant now, Duration timeout) {
        Duration left = remaining(now);
        return left.compareTo(timeout) < 0 ? left : timeout;
    }

    public Duration remaining(Instant now) {
        if (deadline == null) {
            return Duration.ofDays(365);
        }
        Duration left = Duration.between(now, deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
