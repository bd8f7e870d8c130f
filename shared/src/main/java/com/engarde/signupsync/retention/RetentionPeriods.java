package com.engarde.signupsync.retention;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * How long each kind of data is kept (docs/retention.md), from the data-retention function's settings. Days and
 * months, not durations: a month is a calendar month, and a usage record is kept by whole UTC days.
 */
@Singleton
public class RetentionPeriods {

    private final int webhookBodyDays;
    private final int syncLogDays;
    private final int invitationDays;
    private final int usageRecordMonths;

    public RetentionPeriods(@Value("${signup.sync.retention.webhook-bodies-days:90}") int webhookBodyDays,
                            @Value("${signup.sync.retention.sync-logs-days:365}") int syncLogDays,
                            @Value("${signup.sync.retention.invitations-days:30}") int invitationDays,
                            @Value("${signup.sync.retention.usage-records-months:13}") int usageRecordMonths) {
        this.webhookBodyDays = atLeast("SIGNUP_SYNC_RETENTION_WEBHOOK_BODIES_DAYS", webhookBodyDays, 1);
        this.syncLogDays = atLeast("SIGNUP_SYNC_RETENTION_SYNC_LOGS_DAYS", syncLogDays, 1);
        this.invitationDays = atLeast("SIGNUP_SYNC_RETENTION_INVITATIONS_DAYS", invitationDays, 1);
        // A month's rollup is summed from its days: a record is never removed before its month has ended.
        this.usageRecordMonths = atLeast("SIGNUP_SYNC_RETENTION_USAGE_RECORDS_MONTHS", usageRecordMonths, 2);
    }

    private static int atLeast(String variable, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(variable + " must be at least " + least + ", not " + value);
        }
        return value;
    }

    /** A webhook delivery received before this is removed, body and row. */
    public Instant webhookDeliveriesBefore(Instant now) {
        return now.minus(Period.ofDays(webhookBodyDays));
    }

    /** A sync run finished before this is removed with its failed records (unless a source still needs it). */
    public Instant syncRunsBefore(Instant now) {
        return now.minus(Period.ofDays(syncLogDays));
    }

    /** An invitation that ended (expired, redeemed, revoked or replaced) before this is removed. */
    public Instant invitationsBefore(Instant now) {
        return now.minus(Period.ofDays(invitationDays));
    }

    /**
     * The first UTC day whose raw usage records are kept: every record of an earlier day occurred more than the
     * retention before {@code now}.
     */
    public LocalDate usageRecordsFrom(Instant now) {
        return now.atZone(ZoneOffset.UTC).minusMonths(usageRecordMonths).toLocalDate();
    }
}
