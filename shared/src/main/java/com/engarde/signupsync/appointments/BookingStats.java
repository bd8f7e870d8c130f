package com.engarde.signupsync.appointments;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.persistence.Database;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Booking statistics over the appointments starting in a range of days of a timezone: by status and outcome,
 * service, provider, weekday and hour (in that timezone), customers new and returning, rates over resolved
 * appointments, lead time, revenue of completed appointments per currency, and a daily series.
 */
@Singleton
public class BookingStats {

    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 800;

    private final Database database;
    private final Clock clock;

    public BookingStats(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public record Count(String key, long count) {
    }

    public record ServiceCount(@Nullable Long serviceId, @Nullable String name, long count) {
    }

    public record ProviderCount(@Nullable Long providerId, long count) {
    }

    public record Customers(long unique, long newCustomers, long returning) {
    }

    /** Shares of the resolved appointments (completed, no-show, cancelled); null when none is resolved. */
    public record Rates(long resolved, @Nullable BigDecimal completion, @Nullable BigDecimal noShow,
                        @Nullable BigDecimal cancellation) {
    }

    /** Hours from booking to start, interpolated percentiles; null without appointments. */
    public record LeadTime(@Nullable BigDecimal medianHours, @Nullable BigDecimal p90Hours) {
    }

    public record Revenue(String currency, BigDecimal amount, long appointments) {
    }

    public record Day(LocalDate date, long appointments, long completed, long cancelled, long noShow) {
    }

    public record Stats(LocalDate dateFrom, LocalDate dateTo, String tz, long total, List<Count> byStatus,
                        List<Count> byOutcome, List<ServiceCount> byService, List<ProviderCount> byProvider,
                        List<Count> byWeekday, List<Count> byHour, Customers customers, Rates rates,
                        LeadTime leadTime, List<Revenue> revenue, List<Day> daily) {
    }

    /** The range the parameters ask for; a bad one is refused naming it. */
    public record Range(LocalDate from, LocalDate to, ZoneId zone) {
    }

    public static Range range(Map<String, String> params, Clock clock) {
        ZoneId zone;
        try {
            String tz = params.get("tz") == null ? "UTC" : JsonFields.checked("tz", params.get("tz"), 64);
            zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new InvalidInput("tz", "tz must be an IANA timezone such as Europe/Berlin");
        }
        LocalDate to = params.get("date_to") == null ? LocalDate.now(clock.withZone(zone)) : JsonFields.date("date_to", params.get("date_to"));
        LocalDate from = params.get("date_from") == null ? to.minusDays(DEFAULT_DAYS - 1) : JsonFields.date("date_from", params.get("date_from"));
        if (to.isBefore(from)) {
            throw new InvalidInput("date_to", "date_to must not be before date_from");
        }
        if (from.plusDays(MAX_DAYS).isBefore(to)) {
            throw new InvalidInput("date_from", "a range is at most " + MAX_DAYS + " days");
        }
        return new Range(from, to, zone);
    }

    public Stats stats(Map<String, String> params) {
        Range range = range(params, clock);
        return database.read(connection -> compute(connection, range));
    }

    /** The range's appointments with their outcome now, as a CTE named {@code w}. */
    static String window() {
        return """
                WITH w AS (
                    SELECT a.*, CASE WHEN a.outcome = 'booked' AND a.end_at <= ? THEN 'unresolved' ELSE a.outcome END AS o,
                           (a.start_at AT TIME ZONE ?) AS local_start
                    FROM easyappointments_appointments a
                    WHERE a.start_at >= ? AND a.start_at < ?)
                """;
    }

    static int bindWindow(PreparedStatement statement, Range range, Timestamp now) throws SQLException {
        statement.setTimestamp(1, now);
        statement.setString(2, range.zone().getId());
        statement.setTimestamp(3, Timestamp.from(range.from().atStartOfDay(range.zone()).toInstant()));
        statement.setTimestamp(4, Timestamp.from(range.to().plusDays(1).atStartOfDay(range.zone()).toInstant()));
        return 5;
    }

    Stats compute(Connection connection, Range range) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        List<Count> byStatus = counts(connection, range, now, "status");
        List<Count> byOutcome = byOutcome(connection, range, now);
        List<Count> byWeekday = byWeekday(connection, range, now);
        List<Count> byHour = byHour(connection, range, now);
        long total = total(byOutcome);
        List<ServiceCount> byService = byService(connection, range, now);
        List<ProviderCount> byProvider = new ArrayList<>();
        query(connection, range, now, window() + """
                SELECT provider_id, count(*) FROM w GROUP BY provider_id ORDER BY count(*) DESC, provider_id""",
                rs -> byProvider.add(new ProviderCount(rs.getObject(1, Long.class), rs.getLong(2))));

        List<Day> daily = new ArrayList<>();
        query(connection, range, now, window() + """
                SELECT d::date, count(w.appointment_id), count(*) FILTER (WHERE w.o = 'completed'),
                       count(*) FILTER (WHERE w.o = 'cancelled'), count(*) FILTER (WHERE w.o = 'no_show')
                FROM generate_series(?::date, ?::date, interval '1 day') d
                LEFT JOIN w ON w.local_start::date = d::date
                GROUP BY d ORDER BY d""",
                rs -> daily.add(new Day(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))),
                range.from(), range.to());

        return new Stats(range.from(), range.to(), range.zone().getId(), total, byStatus, byOutcome, byService,
                byProvider, byWeekday, byHour, customers(connection, range, now), rates(byOutcome),
                leadTime(connection, range, now), revenue(connection, range, now), daily);
    }

    // Each figure below is computed one way, here, for the booking statistics and the insights alike.

    static List<Count> byOutcome(Connection connection, Range range, Timestamp now) throws SQLException {
        return counts(connection, range, now, "o");
    }

    static List<Count> byWeekday(Connection connection, Range range, Timestamp now) throws SQLException {
        return counts(connection, range, now, "extract(isodow FROM local_start)::int::text");
    }

    static List<Count> byHour(Connection connection, Range range, Timestamp now) throws SQLException {
        return counts(connection, range, now, "extract(hour FROM local_start)::int::text");
    }

    static long total(List<Count> byOutcome) {
        return byOutcome.stream().mapToLong(Count::count).sum();
    }

    static List<ServiceCount> byService(Connection connection, Range range, Timestamp now) throws SQLException {
        List<ServiceCount> byService = new ArrayList<>();
        query(connection, range, now, window() + """
                SELECT service_id, max(service_name), count(*) FROM w GROUP BY service_id ORDER BY count(*) DESC, service_id""",
                rs -> byService.add(new ServiceCount(rs.getObject(1, Long.class), rs.getString(2), rs.getLong(3))));
        return byService;
    }

    /** Returning: the customer had an appointment starting before the range (any service, any outcome). */
    static Customers customers(Connection connection, Range range, Timestamp now) throws SQLException {
        Customers[] customers = new Customers[1];
        query(connection, range, now, window() + """
                , c AS (SELECT DISTINCT customer_email FROM w)
                SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM easyappointments_appointments p
                           WHERE p.customer_email = c.customer_email AND p.start_at < ?))
                FROM c""", rs -> customers[0] = new Customers(rs.getLong(1), rs.getLong(1) - rs.getLong(2), rs.getLong(2)),
                Timestamp.from(range.from().atStartOfDay(range.zone()).toInstant()));
        return customers[0];
    }

    static Rates rates(List<Count> byOutcome) {
        Map<String, Long> outcomes = new LinkedHashMap<>();
        byOutcome.forEach(c -> outcomes.put(c.key(), c.count()));
        long completed = outcomes.getOrDefault("completed", 0L);
        long noShow = outcomes.getOrDefault("no_show", 0L);
        long cancelled = outcomes.getOrDefault("cancelled", 0L);
        long resolved = completed + noShow + cancelled;
        return new Rates(resolved, share(completed, resolved), share(noShow, resolved), share(cancelled, resolved));
    }

    static LeadTime leadTime(Connection connection, Range range, Timestamp now) throws SQLException {
        LeadTime[] lead = new LeadTime[1];
        query(connection, range, now, window() + """
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM start_at - booked_at)),
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM start_at - booked_at)) FROM w""",
                rs -> lead[0] = new LeadTime(hours(rs.getObject(1, Double.class)), hours(rs.getObject(2, Double.class))));
        return lead[0];
    }

    static List<Revenue> revenue(Connection connection, Range range, Timestamp now) throws SQLException {
        List<Revenue> revenue = new ArrayList<>();
        query(connection, range, now, window() + """
                SELECT coalesce(service_currency, ''), sum(service_price), count(*) FROM w
                WHERE o = 'completed' AND service_price IS NOT NULL GROUP BY 1 ORDER BY 1""",
                rs -> revenue.add(new Revenue(rs.getString(1), rs.getBigDecimal(2), rs.getLong(3))));
        return revenue;
    }

    interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    static void query(Connection connection, Range range, Timestamp now, String sql, Row row, Object... more)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = bindWindow(statement, range, now);
            for (Object value : more) {
                statement.setObject(i++, value);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    private static List<Count> counts(Connection connection, Range range, Timestamp now, String key) throws SQLException {
        List<Count> counts = new ArrayList<>();
        query(connection, range, now, window() + "SELECT k, count(*) FROM (SELECT " + key + " AS k FROM w) x GROUP BY k ORDER BY length(k), k",
                rs -> counts.add(new Count(rs.getString(1), rs.getLong(2))));
        return counts;
    }

    static BigDecimal share(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    static BigDecimal hours(Double seconds) {
        return seconds == null ? null : BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_UP);
    }
}
