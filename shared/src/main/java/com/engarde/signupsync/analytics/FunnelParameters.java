package com.engarde.signupsync.analytics;

import com.engarde.signupsync.analytics.FunnelQuery.Attribution;
import com.engarde.signupsync.analytics.FunnelQuery.Filters;
import com.engarde.signupsync.analytics.FunnelQuery.GroupBy;
import com.engarde.signupsync.analytics.FunnelQuery.Order;
import com.engarde.signupsync.analytics.FunnelQuery.Stage;
import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.SourceType;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a funnel question's query parameters, strictly: an unknown or repeated parameter, a value outside its
 * range or list, fails with the parameter's name. Every default is applied here, so the answer can echo what
 * was actually used.
 */
final class FunnelParameters {

    static final List<Stage> DEFAULT_STEPS = List.of(
            new Stage("captured", Set.of()),
            new Stage("engaged", EnumSet.of(EventType.APPOINTMENT_BOOKED, EventType.EVENT_REGISTERED,
                    EventType.TICKET_PURCHASED)),
            new Stage("attended", EnumSet.of(EventType.APPOINTMENT_COMPLETED, EventType.EVENT_ATTENDED)),
            new Stage("signed_up", EnumSet.of(EventType.SIGNUP_COMPLETED)),
            new Stage("converted", EnumSet.of(EventType.CONVERTED)));

    static final int DEFAULT_DAYS = 30;
    static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
    static final LocalDate LATEST = LocalDate.of(2100, 12, 31);
    static final int MAX_RANGE_DAYS = 3660;
    static final int MAX_STEPS = 10;
    static final Duration MAX_WINDOW = Duration.ofDays(3650);
    static final Duration MIN_BIN = Duration.ofHours(1);
    static final Duration MAX_BIN = Duration.ofDays(365);
    static final int MAX_VALUE_LENGTH = 500;
    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 100;
    /** A trend's periods are only complete once their conversion window has closed: without one, this is it. */
    static final Duration DEFAULT_TREND_WINDOW = Duration.ofDays(14);

    private static final Set<String> METRICS = Set.of("date_from", "date_to", "source_type", "utm_source",
            "utm_medium", "utm_campaign", "attribution", "group_by", "steps", "order", "window", "exclude",
            "histogram_bin");
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})([smhdw])");

    private final Map<String, List<String>> params;

    private FunnelParameters(Map<String, List<String>> params, Set<String> accepted) {
        this.params = params;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (!accepted.contains(e.getKey())) {
                throw new InvalidFunnelQuery(printable(e.getKey()), "unknown parameter " + printable(e.getKey())
                        + "; accepted: " + accepted.stream().sorted().collect(Collectors.joining(", ")));
            }
            if (e.getValue().size() > 1) {
                throw new InvalidFunnelQuery(e.getKey(), e.getKey() + " must be given once");
            }
        }
    }

    static FunnelQuery metrics(Map<String, List<String>> params, Clock clock) {
        return new FunnelParameters(params, METRICS).query(clock, null);
    }

    static FunnelParameters trendParameters(Map<String, List<String>> params) {
        Set<String> accepted = new LinkedHashSet<>(METRICS);
        accepted.removeAll(Set.of("group_by", "histogram_bin"));
        accepted.add("interval");
        return new FunnelParameters(params, accepted);
    }

    static FunnelParameters leadParameters(Map<String, List<String>> params) {
        Set<String> accepted = new LinkedHashSet<>(METRICS);
        accepted.removeAll(Set.of("group_by", "histogram_bin"));
        accepted.addAll(Set.of("stage", "status", "limit", "after"));
        return new FunnelParameters(params, accepted);
    }

    FunnelQuery query(Clock clock, Duration defaultWindow) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate to = date("date_to", today);
        LocalDate from = date("date_from", to.minusDays(DEFAULT_DAYS - 1));
        if (from.isAfter(to)) {
            throw new InvalidFunnelQuery("date_from", "date_from must not be after date_to");
        }
        if (from.plusDays(MAX_RANGE_DAYS).isBefore(to)) {
            throw new InvalidFunnelQuery("date_to", "the range may span at most " + MAX_RANGE_DAYS + " days");
        }
        String source = text("source_type");
        if (source != null && SourceType.fromId(source).isEmpty()) {
            throw new InvalidFunnelQuery("source_type", "source_type must be one of " + SourceType.names());
        }
        Filters filters = new Filters(source, text("utm_source"), text("utm_medium"), text("utm_campaign"));
        Attribution attribution = choice("attribution", Attribution.class, Attribution.FIRST_TOUCH);
        GroupBy groupBy = choice("group_by", GroupBy.class, GroupBy.NONE);
        List<Stage> steps = steps();
        Order order = choice("order", Order.class, Order.ANY);
        Duration window = duration("window", Duration.ofMinutes(1), MAX_WINDOW, defaultWindow);
        Set<EventType> exclude = exclude(steps);
        Duration bin = duration("histogram_bin", MIN_BIN, MAX_BIN, Duration.ofDays(1));
        return new FunnelQuery(from, to, attribution, filters, groupBy, steps, order, window, exclude, bin);
    }

    String value(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    long number(String name, long min, long max, long fallback) {
        String raw = value(name);
        if (raw == null) {
            return fallback;
        }
        Long n = InputText.asciiNumber(raw);
        if (n != null && n >= min && n <= max) {
            return n;
        }
        throw new InvalidFunnelQuery(name, name + " must be a whole number in ASCII digits from " + min + " to " + max);
    }

    <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        String raw = value(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (FunnelQuery.id(e).equals(raw.strip())) {
                return e;
            }
        }
        throw new InvalidFunnelQuery(name, name + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(FunnelQuery::id).collect(Collectors.joining(", ")));
    }

    private LocalDate date(String name, LocalDate fallback) {
        String raw = value(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            LocalDate date = LocalDate.parse(raw.strip());
            if (!date.isBefore(EARLIEST) && !date.isAfter(LATEST)) {
                return date;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw new InvalidFunnelQuery(name, name + " must be a date (YYYY-MM-DD) from " + EARLIEST + " to " + LATEST);
    }

    private String text(String name) {
        String raw = value(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = InputText.normalize(raw);
        String problem = InputText.problem(value, false);
        if (problem != null) {
            throw new InvalidFunnelQuery(name, name + " " + problem);
        }
        if (InputText.length(value) > MAX_VALUE_LENGTH) {
            throw new InvalidFunnelQuery(name, name + " must be at most " + MAX_VALUE_LENGTH + " characters");
        }
        return value;
    }

    /** {@code 14d}, {@code 6h}, {@code 90m}, {@code 2w}, {@code 30s}, between {@code min} and {@code max}. */
    private Duration duration(String name, Duration min, Duration max, Duration fallback) {
        String raw = value(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(raw.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
                return d;
            }
        }
        throw new InvalidFunnelQuery(name, name + " must be a whole number with a unit s, m, h, d or w (such as 14d)"
                + ", from " + format(min) + " to " + format(max));
    }

    /** Comma-separated stages, each one or more event types joined by {@code |}; {@code any} is any event. */
    private List<Stage> steps() {
        String raw = value("steps");
        if (raw == null || raw.isBlank()) {
            return DEFAULT_STEPS;
        }
        String[] parts = raw.strip().split(",", -1);
        if (parts.length < 2 || parts.length > MAX_STEPS) {
            throw new InvalidFunnelQuery("steps", "steps must list 2 to " + MAX_STEPS + " stages, separated by commas");
        }
        List<Stage> stages = new ArrayList<>();
        for (String part : parts) {
            String stage = part.strip();
            if (stage.equals("any")) {
                stages.add(new Stage("any", Set.of()));
                continue;
            }
            Set<EventType> types = EnumSet.noneOf(EventType.class);
            for (String type : stage.split("\\|", -1)) {
                types.add(EventType.fromId(type.strip()).orElseThrow(() -> new InvalidFunnelQuery("steps",
                        "each stage of steps must be any, or event types joined by |, from: " + EventType.NAMES)));
            }
            stages.add(new Stage(types.stream().map(EventType::id).collect(Collectors.joining("|")), types));
        }
        return List.copyOf(stages);
    }

    private Set<EventType> exclude(List<Stage> steps) {
        String raw = value("exclude");
        if (raw == null || raw.isBlank()) {
            return Set.of();
        }
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String type : raw.strip().split(",", -1)) {
            types.add(EventType.fromId(type.strip()).orElseThrow(() -> new InvalidFunnelQuery("exclude",
                    "exclude must be event types separated by commas, from: " + EventType.NAMES)));
        }
        for (Stage stage : steps) {
            if (stage.eventTypes().stream().anyMatch(types::contains)) {
                throw new InvalidFunnelQuery("exclude", "an excluded event type cannot also be a stage's (stage "
                        + stage.name() + ")");
            }
        }
        return Set.copyOf(types);
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** A parameter's name echoed in an error: only what could be a parameter name, never arbitrary input. */
    private static String printable(String name) {
        return name.length() <= 40 && name.matches("[A-Za-z0-9_.\\-\\[\\]]*") ? name : "(unprintable)";
    }
}
