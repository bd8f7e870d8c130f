package com.engarde.signupsync.analytics;

import com.engarde.signupsync.funnel.EventType;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One funnel question, as parsed and defaulted from the request: the cohort (leads whose first touch falls on
 * {@code dateFrom}..{@code dateTo}, UTC, both included), filters on the chosen attribution, the stages and
 * how they must be reached. {@code window} null: no window.
 */
public record FunnelQuery(LocalDate dateFrom, LocalDate dateTo, Attribution attribution, Filters filters,
                          GroupBy groupBy, List<Stage> steps, Order order, Duration window, Set<EventType> exclude,
                          Duration histogramBin) {

    public enum Attribution { FIRST_TOUCH, LAST_TOUCH }

    public enum GroupBy { NONE, SOURCE, UTM_SOURCE, UTM_MEDIUM, UTM_CAMPAIGN, DAY, WEEK, MONTH }

    /** any: each stage reached at some time; sequential: each first reached at or after the previous one. */
    public enum Order { ANY, SEQUENTIAL }

    /** Equality filters on the chosen attribution's source and UTM; null: no filter. */
    public record Filters(String sourceType, String utmSource, String utmMedium, String utmCampaign) {
        public static final Filters NONE = new Filters(null, null, null, null);
    }

    /** A stage: reached when the lead first does any of {@code eventTypes}; empty means any event (its first touch). */
    public record Stage(String name, Set<EventType> eventTypes) {
        public boolean anyEvent() {
            return eventTypes.isEmpty();
        }
    }

    static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
