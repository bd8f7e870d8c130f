package com.engarde.signupsync.appointments;

import com.engarde.signupsync.appointments.BookingStats.Count;
import com.engarde.signupsync.appointments.BookingStats.Customers;
import com.engarde.signupsync.appointments.BookingStats.LeadTime;
import com.engarde.signupsync.appointments.BookingStats.Range;
import com.engarde.signupsync.appointments.BookingStats.Rates;
import com.engarde.signupsync.appointments.BookingStats.Revenue;
import com.engarde.signupsync.appointments.BookingStats.ServiceCount;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * GET .../insights: the figures of one analysis type over the appointments starting in a range of days (the
 * booking statistics' range and figures, computed by {@link BookingStats}), and a narrative of them written from
 * {@link #facts} only, which hold nothing that identifies a person.
 */
@Singleton
public class Insights {

    /** An email domain is named only when at least this many customers share it; the rest are "other". */
    public static final int MIN_DOMAIN_CUSTOMERS = 5;
    static final int POPULAR_SERVICES = 5;
    static final String OTHER = "other";

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9-]+(\\.[a-z0-9-]+)+");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public enum Type {
        OVERVIEW, DEMOGRAPHICS, PATTERNS, CONVERSION;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Type of(@Nullable String raw) {
            if (raw == null) {
                return OVERVIEW;
            }
            String id = JsonFields.checked("analysis_type", raw, 32).strip();
            return Arrays.stream(values()).filter(t -> t.id().equals(id)).findFirst().orElseThrow(() -> new InvalidInput(
                    "analysis_type", "analysis_type must be one of overview, demographics, patterns, conversion"));
        }
    }

    /** Customers sharing an email domain ({@code other}: every domain fewer than {@value #MIN_DOMAIN_CUSTOMERS} share). */
    public record DomainCount(String domain, long customers) {
    }

    /** Customers with this many appointments in the range ({@code 1}, {@code 2}, {@code 3}, {@code 4+}). */
    public record Frequency(String appointments, long customers) {
    }

    /**
     * The funnel tie-in: the range's bookers (one per lead, as the funnel counts people) who signed up
     * ({@code signup_completed}) or converted ({@code funnel_conversions}) at or after their first booking in the
     * range, and the median days from that booking; null medians when nobody did.
     */
    public record Funnel(long bookers, long signedUp, long converted, @Nullable BigDecimal medianDaysToSignup,
                         @Nullable BigDecimal medianDaysToConversion) {
    }

    /** The figures of one type; the sections of the other types are absent. */
    @Schema(name = "InsightFigures")
    public record Figures(long total, @Nullable List<Count> byOutcome,
                          @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) Customers customers,
                          @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) Rates rates,
                          @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) LeadTime leadTime,
                          @Nullable List<Revenue> revenue, @Nullable List<DomainCount> emailDomains,
                          @Nullable List<Frequency> bookingFrequency, @Nullable List<Count> byWeekday,
                          @Nullable List<Count> byHour,
                          @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) Count busiestWeekday,
                          @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) Count busiestHour,
                          @Nullable List<ServiceCount> popularServices,
                          @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) Funnel funnel) {
    }

    @Schema(name = "Insights")
    public record Answer(@Schema(allowableValues = {"overview", "demographics", "patterns", "conversion"}) String analysisType,
                         LocalDate dateFrom, LocalDate dateTo, String tz, Figures figures, Narrative narrative) {
    }

    private final Database database;
    private final Clock clock;
    private final NarrativeWriter writer;
    private final ObjectMapper json;

    public Insights(Database database, Clock clock, NarrativeWriter writer, ObjectMapper json) {
        this.database = database;
        this.clock = clock;
        this.writer = writer;
        this.json = json;
    }

    public Answer answer(Map<String, String> params) {
        Type type = Type.of(params.get("analysis_type"));
        Range range = BookingStats.range(params, clock);
        Figures figures = database.read(connection -> figures(connection, type, range));
        Narrative narrative = writer.write(type.id(), facts(type, range, figures));
        return new Answer(type.id(), range.from(), range.to(), range.zone().getId(), figures, narrative);
    }

    /** The figures alone, without a narrative (the benchmark's measure). */
    public Figures figures(Map<String, String> params) {
        Type type = Type.of(params.get("analysis_type"));
        Range range = BookingStats.range(params, clock);
        return database.read(connection -> figures(connection, type, range));
    }

    Figures figures(Connection connection, Type type, Range range) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        List<Count> byOutcome = BookingStats.byOutcome(connection, range, now);
        long total = BookingStats.total(byOutcome);
        return switch (type) {
            case OVERVIEW -> new Figures(total, byOutcome, BookingStats.customers(connection, range, now),
                    BookingStats.rates(byOutcome), BookingStats.leadTime(connection, range, now),
                    BookingStats.revenue(connection, range, now), null, null, null, null, null, null, null, null);
            case DEMOGRAPHICS -> new Figures(total, null, BookingStats.customers(connection, range, now), null, null, null,
                    emailDomains(connection, range, now), bookingFrequency(connection, range, now),
                    null, null, null, null, null, null);
            case PATTERNS -> {
                List<Count> byWeekday = BookingStats.byWeekday(connection, range, now);
                List<Count> byHour = BookingStats.byHour(connection, range, now);
                List<ServiceCount> services = BookingStats.byService(connection, range, now);
                yield new Figures(total, null, null, null, BookingStats.leadTime(connection, range, now), null, null, null,
                        byWeekday, byHour, busiest(byWeekday), busiest(byHour),
                        services.subList(0, Math.min(POPULAR_SERVICES, services.size())), null);
            }
            case CONVERSION -> new Figures(total, null, null, BookingStats.rates(byOutcome), null,
                    BookingStats.revenue(connection, range, now), null, null, null, null, null, null, null,
                    funnel(connection, range, now));
        };
    }

    /** The busiest key (the first of those tied), or null without appointments. */
    private static Count busiest(List<Count> counts) {
        Count busiest = null;
        for (Count c : counts) {
            if (busiest == null || c.count() > busiest.count()) {
                busiest = c;
            }
        }
        return busiest;
    }

    private static List<DomainCount> emailDomains(Connection connection, Range range, Timestamp now) throws SQLException {
        List<DomainCount> domains = new ArrayList<>();
        BookingStats.query(connection, range, now, BookingStats.window() + """
                , d AS (SELECT split_part(customer_email, '@', 2) AS domain, count(DISTINCT customer_email) AS n
                        FROM w GROUP BY 1)
                SELECT shown, sum(n)::bigint FROM (SELECT CASE WHEN n >= ? THEN domain ELSE 'other' END AS shown, n FROM d) x
                GROUP BY shown ORDER BY shown = 'other', sum(n) DESC, shown""",
                rs -> domains.add(new DomainCount(rs.getString(1), rs.getLong(2))), MIN_DOMAIN_CUSTOMERS);
        return domains;
    }

    private static List<Frequency> bookingFrequency(Connection connection, Range range, Timestamp now) throws SQLException {
        List<Frequency> frequency = new ArrayList<>();
        BookingStats.query(connection, range, now, BookingStats.window() + """
                , c AS (SELECT customer_email, count(*) AS n FROM w GROUP BY 1)
                SELECT CASE WHEN n >= 4 THEN '4+' ELSE n::text END, count(*) FROM c GROUP BY 1 ORDER BY 1""",
                rs -> frequency.add(new Frequency(rs.getString(1), rs.getLong(2))));
        return frequency;
    }

    private static Funnel funnel(Connection connection, Range range, Timestamp now) throws SQLException {
        Funnel[] funnel = new Funnel[1];
        BookingStats.query(connection, range, now, BookingStats.window() + """
                , b AS (SELECT lead_id, min(booked_at) AS first_booked FROM w GROUP BY lead_id),
                t AS (SELECT b.first_booked,
                             (SELECT min(e.occurred_at) FROM funnel_events e WHERE e.lead_id = b.lead_id
                                 AND e.event_type = 'signup_completed' AND e.occurred_at >= b.first_booked) AS signed_up_at,
                             (SELECT c.converted_at FROM funnel_conversions c WHERE c.lead_id = b.lead_id
                                 AND c.converted_at >= b.first_booked) AS converted_at
                      FROM b)
                SELECT count(*), count(signed_up_at), count(converted_at),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM signed_up_at - first_booked)),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM converted_at - first_booked))
                FROM t""",
                rs -> funnel[0] = new Funnel(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        days(rs.getObject(4, Double.class)), days(rs.getObject(5, Double.class))));
        return funnel[0];
    }

    private static BigDecimal days(Double seconds) {
        return seconds == null ? null : BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(86400), 2, RoundingMode.HALF_UP);
    }

    /**
     * The figures as they may leave the service for a narrative: counts, rates, durations, weekdays and hours,
     * outcomes, currency codes and email domains at least {@value #MIN_DOMAIN_CUSTOMERS} customers share. Services
     * are named by rank (their ids and names are the business's free text); nothing else is copied.
     */
    public ObjectNode facts(Type type, Range range, Figures figures) {
        ObjectNode facts = json.createObjectNode();
        facts.put("analysis_type", type.id()).put("date_from", range.from().toString())
                .put("date_to", range.to().toString()).put("timezone", range.zone().getId());
        ObjectNode source = json.valueToTree(figures);
        for (String field : List.of("total", "by_outcome", "customers", "rates", "lead_time", "booking_frequency",
                "by_weekday", "by_hour", "busiest_weekday", "busiest_hour", "funnel")) {
            if (source.has(field)) {
                facts.set(field, source.get(field));
            }
        }
        if (figures.revenue() != null) {
            ArrayNode revenue = facts.putArray("revenue_of_completed");
            figures.revenue().forEach(r -> revenue.addObject()
                    .put("currency", CURRENCY.matcher(r.currency()).matches() ? r.currency() : OTHER)
                    .put("amount", r.amount()).put("appointments", r.appointments()));
        }
        if (figures.emailDomains() != null) {
            ArrayNode domains = facts.putArray("email_domains");
            figures.emailDomains().forEach(d -> domains.addObject()
                    .put("domain", d.customers() >= MIN_DOMAIN_CUSTOMERS && DOMAIN.matcher(d.domain()).matches() ? d.domain() : OTHER)
                    .put("customers", d.customers()));
        }
        if (figures.popularServices() != null) {
            ArrayNode services = facts.putArray("popular_services");
            int rank = 1;
            for (ServiceCount s : figures.popularServices()) {
                services.addObject().put("rank", rank++).put("appointments", s.count());
            }
        }
        return facts;
    }
}
