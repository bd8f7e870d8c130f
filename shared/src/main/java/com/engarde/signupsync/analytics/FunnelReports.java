package com.engarde.signupsync.analytics;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The answers of the funnel routes, as they are serialized (snake_case). */
public final class FunnelReports {

    private FunnelReports() {
    }

    /** What the answer used, defaults included: the caller sees exactly which question was answered. */
    public record Used(LocalDate dateFrom, LocalDate dateTo, String attribution, Map<String, String> filters,
                       @Nullable String groupBy, List<Step> steps, String order, @Nullable String window,
                       List<String> exclude, @Nullable String histogramBin) {
    }

    public record Step(String name, List<String> eventTypes) {
    }

    /** Stage counts of one group or of the total; the groups add up to the total at every stage. */
    public record Metrics(@Nullable String key, long leads, List<StageMetrics> stages, long conversions, double conversionRate,
                          TimeToConvert timeToConvert) {
    }

    /** {@code conversionFromPrevious} of the first stage is against the cohort's leads. */
    public record StageMetrics(String name, long leads, double conversionFromPrevious, double conversionFromFirst,
                               long dropOff) {
    }

    /** Hours from first touch to conversion; the percentiles are absent when nobody converted. */
    public record TimeToConvert(@Nullable Double medianHours, @Nullable Double p75Hours, @Nullable Double p90Hours, String binWidth,
                                List<Bin> histogram) {
    }

    /** Leads who converted between {@code fromHours} (included) and {@code toHours} (excluded). */
    public record Bin(double fromHours, double toHours, long leads) {
    }

    public record FunnelMetricsReport(Used used, Metrics total, List<Metrics> groups) {
    }

    /** One cohort period: conversion from the first to the last stage; incomplete while its window is open. */
    public record TrendPeriod(LocalDate period, long entered, long completed, double conversionRate,
                              boolean incomplete) {
    }

    public record FunnelTrendsReport(Used used, String interval, List<TrendPeriod> periods) {
    }

    public record Touch(String source, Instant at, @Nullable String utmSource, @Nullable String utmMedium,
                        @Nullable String utmCampaign) {
    }

    public record FunnelLead(long leadId, String email, int stagesReached, Touch firstTouch, Touch lastTouch) {
    }

    /** {@code nextAfter}: pass as {@code after} for the next page; absent on the last page. */
    public record FunnelLeadsPage(Used used, int stage, String stageName, String status, List<FunnelLead> leads,
                                  @Nullable Long nextAfter) {
    }
}
