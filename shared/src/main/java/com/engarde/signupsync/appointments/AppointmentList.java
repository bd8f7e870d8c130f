package com.engarde.signupsync.appointments;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.funnel.Emails;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.input.QueryValues;
import com.engarde.signupsync.persistence.Database;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The synced appointments, filtered, newest start first, in stable pages: a cursor names the last row shown
 * (start, id), so rows written while paging neither repeat nor go missing; with a total count, which
 * EasyAppointments' own API cannot give.
 */
@Singleton
public class AppointmentList {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;

    private final Database database;
    private final Clock clock;

    public AppointmentList(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** One page; {@code nextCursor} is null on the last. */
    public record Page(long totalCount, List<Appointments.View> appointments, @Nullable String nextCursor) {
    }

    private record Cursor(Instant start, long id) {
    }

    /** Reads the filters and the page from query parameters; a bad one is refused naming it. */
    public Page page(Map<String, String> params) {
        LocalDate from = params.get("date_from") == null ? null : JsonFields.date("date_from", params.get("date_from"));
        LocalDate to = params.get("date_to") == null ? null : JsonFields.date("date_to", params.get("date_to"));
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInput("date_to", "date_to must not be before date_from");
        }
        String status = JsonFields.checked("status", params.get("status") == null ? "" : params.get("status"), 512);
        Outcome outcome = null;
        if (params.get("outcome") != null) {
            outcome = Outcome.fromId(params.get("outcome")).orElseThrow(() -> new InvalidInput("outcome",
                    "outcome must be booked, cancelled, completed, no_show or unresolved"));
        }
        Long service = params.get("service") == null ? null : QueryValues.number("service", params.get("service"), 1, Long.MAX_VALUE);
        Long provider = params.get("provider") == null ? null : QueryValues.number("provider", params.get("provider"), 1, Long.MAX_VALUE);
        String email = null;
        if (params.get("customer_email") != null) {
            email = Emails.normalize(JsonFields.checked("customer_email", params.get("customer_email"), 320));
            if (email == null || !Emails.isValid(email)) {
                throw new InvalidInput("customer_email", "customer_email must be an email address");
            }
        }
        int size = params.get("page_size") == null ? DEFAULT_PAGE_SIZE
                : (int) QueryValues.number("page_size", params.get("page_size"), 1, MAX_PAGE_SIZE);
        Cursor after = params.get("cursor") == null ? null : cursor(params.get("cursor"));
        Instant now = clock.instant();

        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (from != null) {
            where.append(" AND a.start_at >= ?");
            args.add(Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        if (to != null) {
            where.append(" AND a.start_at < ?");
            args.add(Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        if (status != null) {
            where.append(" AND a.status = ?");
            args.add(status);
        }
        if (outcome == Outcome.UNRESOLVED || outcome == Outcome.BOOKED) {
            where.append(" AND a.outcome = 'booked' AND a.end_at ").append(outcome == Outcome.UNRESOLVED ? "<= ?" : "> ?");
            args.add(Timestamp.from(now));
        } else if (outcome != null) {
            where.append(" AND a.outcome = ?");
            args.add(outcome.id());
        }
        if (service != null) {
            where.append(" AND a.service_id = ?");
            args.add(service);
        }
        if (provider != null) {
            where.append(" AND a.provider_id = ?");
            args.add(provider);
        }
        if (email != null) {
            where.append(" AND a.customer_email = ?");
            args.add(email);
        }
        String filters = where.toString();
        return database.read(connection -> {
            long total;
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT count(*) FROM easyappointments_appointments a" + filters)) {
                bind(count, 1, args);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            String sql = "SELECT " + Appointments.VIEW_COLUMNS + " FROM easyappointments_appointments a" + filters
                    + (after == null ? "" : " AND (a.start_at, a.appointment_id) < (?, ?)")
                    + " ORDER BY a.start_at DESC, a.appointment_id DESC LIMIT ?";
            List<Appointments.View> rows = new ArrayList<>(size + 1);
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setTimestamp(1, Timestamp.from(now));
                int i = bind(select, 2, args);
                if (after != null) {
                    select.setTimestamp(i++, Timestamp.from(after.start()));
                    select.setLong(i++, after.id());
                }
                select.setInt(i, size + 1);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(Appointments.view(rs));
                    }
                }
            }
            String next = null;
            if (rows.size() > size) {
                rows.remove(size);
                Appointments.View last = rows.get(size - 1);
                next = encode(new Cursor(last.start(), last.id()));
            }
            return new Page(total, List.copyOf(rows), next);
        });
    }

    private static int bind(PreparedStatement statement, int first, List<Object> args) throws java.sql.SQLException {
        int i = first;
        for (Object arg : args) {
            statement.setObject(i++, arg);
        }
        return i;
    }

    private static String encode(Cursor cursor) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, cursor.start());
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + cursor.id()).getBytes(StandardCharsets.US_ASCII));
    }

    private static Cursor cursor(String raw) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(raw.strip()), StandardCharsets.US_ASCII);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            long id = Long.parseLong(text.substring(colon + 1));
            return new Cursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
        } catch (RuntimeException e) {
            throw new InvalidInput("cursor", "cursor is not one this list gave; start again without it");
        }
    }
}
