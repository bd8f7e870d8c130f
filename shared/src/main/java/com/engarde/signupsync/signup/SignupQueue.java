package com.engarde.signupsync.signup;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AuditLog;
import com.engarde.signupsync.emaillist.Segments;
import com.engarde.signupsync.failure.Conflict;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.input.DayRange;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.input.QueryValues;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reviewed way from lead to platform user: people who booked or came to an event join the pending queue
 * (once each, by the queue's unique key), an admin approves (an invitation is issued and sent) or rejects, and
 * the En Garde backend redeems the invitation at signup. Every admin write here commits with its audit row.
 */
@Singleton
public class SignupQueue {

    public static final long MAX_BODY_BYTES = 4 * 1024;
    /** People one add may consider: more would not fit one request's time. */
    public static final int MAX_CANDIDATES = 5000;
    /** People one add may invite at once: each is an email sent while the admin waits. */
    public static final int MAX_AUTO_INVITES = 100;
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    private static final String EASYAPPOINTMENTS = "easyappointments";

    private static final Logger LOG = LoggerFactory.getLogger(SignupQueue.class);

    private final Database database;
    private final Invitations invitations;
    private final InvitationMail mail;
    private final Suppressions suppressions;
    private final AuditLog audit;
    private final JsonBodies bodies;
    private final Clock clock;

    public SignupQueue(Database database, Invitations invitations, InvitationMail mail, Suppressions suppressions,
                       AuditLog audit, JsonBodies bodies, Clock clock) {
        this.database = database;
        this.invitations = invitations;
        this.mail = mail;
        this.suppressions = suppressions;
        this.audit = audit;
        this.bodies = bodies;
        this.clock = clock;
    }

    /** What an add did, person by person. */
    public record Added(String sourceType, LocalDate dateFrom, LocalDate dateTo, int added, int alreadyQueued,
                        int alreadyUsers, int suppressed, int invited, int emailsFailed) {
    }

    /**
     * A queue entry as an admin decides on it, with its latest invitation; {@code segments} are the master email
     * list's (by bookings, then by recency, see {@link Segments}) as of now.
     */
    public record Entry(long id, long leadId, String email, @Nullable String firstName, @Nullable String lastName,
                        @Nullable String phone, String sourceType, int totalBookings, List<String> services,
                        @Nullable Instant lastBookingAt, List<String> segments, String status, @Nullable String reason,
                        @Nullable String decidedBy, @Nullable Instant decidedAt, Instant createdAt,
                        @Nullable @Schema(type = "object", nullable = true) Invitation invitation) {
    }

    /**
     * An invitation as an admin sees it (never its token). {@code status}: pending, expired, redeemed, revoked
     * or replaced; {@code emailSent} false with {@code sendError} when the last send failed.
     */
    public record Invitation(long id, String status, Instant expiresAt, boolean emailSent, @Nullable Instant sentAt,
                             @Nullable String sendError, @Nullable Instant redeemedAt) {
    }

    /** One page, oldest first; {@code nextCursor} is null on the last. */
    public record Page(List<Entry> entries, @Nullable String nextCursor) {
    }

    private record Candidate(long leadId, String email, String firstName, String lastName, String phone,
                             int totalBookings, String[] services, Timestamp lastBooking, boolean converted) {
    }

    /** POST /api/admin/easyappointments/add-bookers-to-queue: who booked an appointment starting in the range. */
    public Added addBookers(AdminPrincipal admin, @Nullable byte[] body) {
        ObjectNode request = bodies.object(body, MAX_BODY_BYTES);
        return add(admin, EASYAPPOINTMENTS, request);
    }

    /** POST /api/admin/signup-queue/add: the leads a source brought in the range (for EasyAppointments, its bookers). */
    public Added addLeads(AdminPrincipal admin, @Nullable byte[] body) {
        ObjectNode request = bodies.object(body, MAX_BODY_BYTES);
        String source = JsonFields.requiredText(request, "source_type", 40);
        if (SourceType.fromId(source).isEmpty()) {
            throw new InvalidInput("source_type", "source_type must be one of " + SourceType.names());
        }
        return add(admin, source, request);
    }


    private Added add(AdminPrincipal admin, String source, ObjectNode request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        DayRange range = DayRange.of(request, today);
        LocalDate from = range.from();
        LocalDate to = range.to();
        boolean autoInvite = Boolean.TRUE.equals(JsonFields.bool(request, "auto_invite"));
        int days = Invitations.days(request);
        Timestamp start = Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp end = Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        List<Invite> toSend = new ArrayList<>();
        Added added = database.transaction(connection -> {
            List<Candidate> candidates = candidates(connection, source, start, end);
            if (candidates.size() > MAX_CANDIDATES) {
                throw new InvalidInput("date_from", "the range holds more than " + MAX_CANDIDATES
                        + " people; add them in shorter ranges");
            }
            Set<String> suppressed = suppressions.suppressed(connection, candidates.stream().map(Candidate::email).toList());
            List<Candidate> eligible = new ArrayList<>();
            int users = 0;
            int refused = 0;
            for (Candidate c : candidates) {
                if (c.converted()) {
                    users++;
                } else if (suppressed.contains(c.email())) {
                    refused++;
                } else {
                    eligible.add(c);
                }
            }
            if (autoInvite && eligible.size() > MAX_AUTO_INVITES) {
                throw new InvalidInput("auto_invite", "auto_invite sends at most " + MAX_AUTO_INVITES
                        + " invitations at once and this range holds " + eligible.size() + " people to add; use shorter ranges");
            }
            Map<Long, Long> inserted = insert(connection, source, eligible);
            if (autoInvite) {
                for (Candidate c : eligible) {
                    Long queueId = inserted.get(c.leadId());
                    if (queueId != null) {
                        decide(connection, queueId, "approved", null, admin, now);
                        toSend.add(new Invite(invitations.issue(connection, queueId, admin.subject(), days, now),
                                new InvitationMail.Invitee(c.email(), c.firstName(), c.lastName())));
                    }
                }
            }
            Added result = new Added(source, from, to, inserted.size(), eligible.size() - inserted.size(), users, refused,
                    toSend.size(), 0);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("source_type", source);
            summary.put("date_from", from.toString());
            summary.put("date_to", to.toString());
            summary.put("auto_invite", autoInvite);
            summary.put("added", result.added());
            summary.put("already_queued", result.alreadyQueued());
            summary.put("already_users", result.alreadyUsers());
            summary.put("suppressed", result.suppressed());
            summary.put("invited", result.invited());
            audit.record(connection, admin, "signup_queue.add", "signup_queue", null, summary);
            return result;
        });
        int failed = 0;
        for (Invite invite : toSend) {
            failed += deliver(invite.issued(), invite.invitee()).sent() ? 0 : 1;
        }
        return new Added(added.sourceType(), added.dateFrom(), added.dateTo(), added.added(), added.alreadyQueued(),
                added.alreadyUsers(), added.suppressed(), added.invited(), failed);
    }

    private record Invite(Invitations.Issued issued, InvitationMail.Invitee invitee) {
    }

    /** What sending gave: the email went, or why it did not. */
    private record Delivery(boolean sent, @Nullable String error) {
    }

    /**
     * Sends an issued invitation after its transaction committed, and records the outcome: a failure leaves the
     * invitation as it is (an admin resends it) and is answered, never thrown.
     */
    private Delivery deliver(Invitations.Issued issued, InvitationMail.Invitee invitee) {
        String messageId = null;
        String error = null;
        try {
            messageId = mail.send(invitee, issued.token(), issued.expiresAt());
        } catch (InvitationNotSent e) {
            error = e.getMessage();
            LOG.warn("invitation {} was not sent: {}", issued.id(), error);
        }
        String failure = error;
        String id = messageId;
        Instant now = clock.instant();
        database.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE invitations SET sent_at = ?, message_id = ?, send_error = ? WHERE id = ?""")) {
                update.setTimestamp(1, failure == null ? Timestamp.from(now) : null);
                update.setString(2, id);
                update.setString(3, failure == null ? null : failure.length() > 500 ? failure.substring(0, 500) : failure);
                update.setLong(4, issued.id());
                update.executeUpdate();
            }
            return null;
        });
        return new Delivery(failure == null, failure);
    }


    /**
     * Everyone the source brought in the range, with what an admin decides on: bookings (not cancelled), services
     * and the last booking from the synced appointments, names and phone from the latest appointment or the lead.
     */
    private static List<Candidate> candidates(Connection connection, String source, Timestamp start, Timestamp end)
            throws SQLException {
        String who = EASYAPPOINTMENTS.equals(source)
                ? "SELECT DISTINCT a.lead_id FROM easyappointments_appointments a"
                  + " WHERE a.start_at >= ? AND a.start_at < ? AND a.outcome <> 'cancelled'"
                : "SELECT DISTINCT e.lead_id FROM funnel_events e"
                  + " WHERE e.source_type = ? AND e.occurred_at >= ? AND e.occurred_at < ? AND e.lead_id IS NOT NULL";
        String sql = "WITH who AS (" + who + ") SELECT l.id, l.email, coalesce(ap.first_name, l.first_name),"
                + " coalesce(ap.last_name, l.last_name), coalesce(ap.phone, l.phone), coalesce(ap.total, 0),"
                + " coalesce(ap.services, '{}'), ap.last_booking,"
                + " EXISTS (SELECT 1 FROM funnel_conversions fc WHERE fc.lead_id = l.id)"
                + " FROM who JOIN leads l ON l.id = who.lead_id"
                + " LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE a.outcome <> 'cancelled') AS total,"
                + "   array_agg(DISTINCT a.service_name) FILTER (WHERE a.service_name IS NOT NULL AND a.outcome <> 'cancelled') AS services,"
                + "   max(a.start_at) FILTER (WHERE a.outcome <> 'cancelled') AS last_booking,"
                + "   (array_agg(a.customer_first_name ORDER BY a.start_at DESC))[1] AS first_name,"
                + "   (array_agg(a.customer_last_name ORDER BY a.start_at DESC))[1] AS last_name,"
                + "   (array_agg(a.customer_phone ORDER BY a.start_at DESC))[1] AS phone"
                + "   FROM easyappointments_appointments a WHERE a.lead_id = l.id) ap ON true"
                // An erased person's lead stays only as an anonymous count: never a candidate.
                + " WHERE l.erased_at IS NULL"
                + " ORDER BY l.id LIMIT " + (MAX_CANDIDATES + 1);
        List<Candidate> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            if (!EASYAPPOINTMENTS.equals(source)) {
                select.setString(i++, source);
            }
            select.setTimestamp(i++, start);
            select.setTimestamp(i, end);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(new Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), (String[]) rs.getArray(7).getArray(), rs.getTimestamp(8),
                            rs.getBoolean(9)));
                }
            }
        }
        return found;
    }

    /** Queues the eligible; answers the new entries' ids by lead (a person already queued is not among them). */
    private static Map<Long, Long> insert(Connection connection, String source, List<Candidate> eligible) throws SQLException {
        Map<Long, Long> inserted = new LinkedHashMap<>();
        for (Candidate c : eligible) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO signup_queue (lead_id, source_type, first_name, last_name, phone, total_bookings,
                        services, last_booking_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (lead_id) DO NOTHING RETURNING id""")) {
                insert.setLong(1, c.leadId());
                insert.setString(2, source);
                insert.setString(3, c.firstName());
                insert.setString(4, c.lastName());
                insert.setString(5, c.phone());
                insert.setInt(6, c.totalBookings());
                insert.setArray(7, connection.createArrayOf("text", c.services()));
                insert.setTimestamp(8, c.lastBooking());
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        inserted.put(c.leadId(), rs.getLong(1));
                    }
                }
            }
        }
        return inserted;
    }

    /** GET /api/admin/signup-queue: optionally one status, oldest first, in stable pages by id. */
    public Page list(Map<String, String> params) {
        String status = params.get("status");
        if (status != null && !Set.of("pending", "approved", "rejected", "accepted").contains(status)) {
            throw new InvalidInput("status", "status must be pending, approved, rejected or accepted");
        }
        int size = params.get("page_size") == null ? DEFAULT_PAGE_SIZE
                : (int) QueryValues.number("page_size", params.get("page_size"), 1, MAX_PAGE_SIZE);
        long after = params.get("cursor") == null ? 0 : cursor(params.get("cursor"));
        Instant now = clock.instant();
        return database.read(connection -> {
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(ENTRY_SQL
                    + " WHERE q.id > ?" + (status == null ? "" : " AND q.status = ?") + " ORDER BY q.id LIMIT ?")) {
                int i = 1;
                select.setTimestamp(i++, Timestamp.from(now));
                select.setLong(i++, after);
                if (status != null) {
                    select.setString(i++, status);
                }
                select.setInt(i, size + 1);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        entries.add(entry(rs, now));
                    }
                }
            }
            String next = null;
            if (entries.size() > size) {
                entries.remove(size);
                next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        ("q" + entries.get(size - 1).id()).getBytes(StandardCharsets.US_ASCII));
            }
            return new Page(List.copyOf(entries), next);
        });
    }

    private static long cursor(String raw) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(raw.strip()), StandardCharsets.US_ASCII);
            if (text.startsWith("q")) {
                long id = Long.parseLong(text.substring(1));
                if (id > 0) {
                    return id;
                }
            }
        } catch (RuntimeException e) {
            // answered below
        }
        throw new InvalidInput("cursor", "cursor is not one this list gave; start again without it");
    }

    /** POST .../{id}/approve: issues the invitation and sends it; the approval stands when sending fails. */
    public Entry approve(AdminPrincipal admin, String rawId, @Nullable byte[] body) {
        long id = JsonFields.positiveId("id", rawId);
        int days = Invitations.days(bodies.object(body, MAX_BODY_BYTES));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Invite invite = database.transaction(connection -> {
            Locked entry = lock(connection, id);
            if (!"pending".equals(entry.status())) {
                throw new Conflict("id", "signup queue entry " + id + " is already " + entry.status());
            }
            refuseSuppressed(connection, entry);
            decide(connection, id, "approved", null, admin, now);
            Invitations.Issued issued = invitations.issue(connection, id, admin.subject(), days, now);
            audit.record(connection, admin, "signup_queue.approve", "signup_queue_entry", Long.toString(id),
                    Map.of("invitation_id", issued.id(), "expires_in_days", days));
            return new Invite(issued, entry.invitee());
        });
        deliver(invite.issued(), invite.invitee());
        return get(id);
    }

    /** POST .../{id}/reject with a reason. */
    public Entry reject(AdminPrincipal admin, String rawId, @Nullable byte[] body) {
        long id = JsonFields.positiveId("id", rawId);
        String reason = JsonFields.requiredText(bodies.object(body, MAX_BODY_BYTES), "reason", 500);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        database.transaction(connection -> {
            Locked entry = lock(connection, id);
            if (!"pending".equals(entry.status())) {
                throw new Conflict("id", "signup queue entry " + id + " is already " + entry.status());
            }
            decide(connection, id, "rejected", reason, admin, now);
            audit.record(connection, admin, "signup_queue.reject", "signup_queue_entry", Long.toString(id),
                    Map.of("reason_length", reason.length()));
            return null;
        });
        return get(id);
    }

    /** POST .../{id}/invitation/resend: a new token (the old one dies), sent again. */
    public Entry resend(AdminPrincipal admin, String rawId, @Nullable byte[] body) {
        long id = JsonFields.positiveId("id", rawId);
        int days = Invitations.days(bodies.object(body, MAX_BODY_BYTES));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Invite invite = database.transaction(connection -> {
            Locked entry = lock(connection, id);
            requireApproved(id, entry);
            refuseSuppressed(connection, entry);
            Invitations.Issued issued = invitations.issue(connection, id, admin.subject(), days, now);
            audit.record(connection, admin, "invitation.resend", "signup_queue_entry", Long.toString(id),
                    Map.of("invitation_id", issued.id(), "expires_in_days", days));
            return new Invite(issued, entry.invitee());
        });
        deliver(invite.issued(), invite.invitee());
        return get(id);
    }

    /** POST .../{id}/invitation/revoke: the live invitation no longer redeems. */
    public Entry revoke(AdminPrincipal admin, String rawId) {
        long id = JsonFields.positiveId("id", rawId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        database.transaction(connection -> {
            requireApproved(id, lock(connection, id));
            if (!invitations.revoke(connection, id, now)) {
                throw new Conflict("id", "signup queue entry " + id + " has no live invitation to revoke");
            }
            audit.record(connection, admin, "invitation.revoke", "signup_queue_entry", Long.toString(id), Map.of());
            return null;
        });
        return get(id);
    }

    private static void requireApproved(long id, Locked entry) {
        if (!"approved".equals(entry.status())) {
            throw new Conflict("id", "signup queue entry " + id + " is " + entry.status()
                    + "; only an approved entry's invitation can be resent or revoked");
        }
    }

    private void refuseSuppressed(Connection connection, Locked entry) throws SQLException {
        if (suppressions.isSuppressed(connection, entry.invitee().email())) {
            throw new Conflict("id", "signup queue entry " + entry.id() + " is a person on the suppression list,"
                    + " who is never invited");
        }
    }

    private record Locked(long id, String status, InvitationMail.Invitee invitee) {
    }

    private static Locked lock(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT q.status, l.email, q.first_name, q.last_name FROM signup_queue q JOIN leads l ON l.id = q.lead_id
                WHERE q.id = ? FOR UPDATE OF q""")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFound("id", "no signup queue entry has id " + id);
                }
                return new Locked(id, rs.getString(1), new InvitationMail.Invitee(rs.getString(2), rs.getString(3),
                        rs.getString(4)));
            }
        }
    }

    private static void decide(Connection connection, long id, String status, @Nullable String reason,
                               AdminPrincipal admin, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE signup_queue SET status = ?, reason = ?, decided_by = ?, decided_at = ?
                WHERE id = ? AND status = 'pending'""")) {
            update.setString(1, status);
            update.setString(2, reason);
            update.setString(3, admin.subject());
            update.setTimestamp(4, Timestamp.from(now));
            update.setLong(5, id);
            update.executeUpdate();
        }
    }

    private static final String ENTRY_SQL = """
            SELECT q.id, q.lead_id, l.email, q.first_name, q.last_name, q.phone, q.source_type, q.total_bookings,
                   q.services, q.last_booking_at, q.status, q.reason, q.decided_by, q.decided_at, q.created_at,
                   i.id AS invitation_id,
                   CASE WHEN i.status = 'pending' AND i.expires_at <= ? THEN 'expired' ELSE i.status END AS invitation_status,
                   i.expires_at, i.sent_at, i.send_error, i.redeemed_at
            FROM signup_queue q JOIN leads l ON l.id = q.lead_id
            LEFT JOIN LATERAL (SELECT * FROM invitations i WHERE i.queue_id = q.id ORDER BY i.id DESC LIMIT 1) i ON true
            """;

    /** One entry, or {@link NotFound}. */
    public Entry get(long id) {
        Instant now = clock.instant();
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(ENTRY_SQL + " WHERE q.id = ?")) {
                select.setTimestamp(1, Timestamp.from(now));
                select.setLong(2, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFound("id", "no signup queue entry has id " + id);
                    }
                    return entry(rs, now);
                }
            }
        });
    }

    private static Entry entry(ResultSet rs, Instant now) throws SQLException {
        Invitation invitation = null;
        long invitationId = rs.getLong("invitation_id");
        if (!rs.wasNull()) {
            Timestamp sent = rs.getTimestamp("sent_at");
            Timestamp redeemed = rs.getTimestamp("redeemed_at");
            invitation = new Invitation(invitationId, rs.getString("invitation_status"),
                    rs.getTimestamp("expires_at").toInstant(), sent != null, sent == null ? null : sent.toInstant(),
                    rs.getString("send_error"), redeemed == null ? null : redeemed.toInstant());
        }
        Timestamp last = rs.getTimestamp("last_booking_at");
        Timestamp decided = rs.getTimestamp("decided_at");
        Instant lastBooking = last == null ? null : last.toInstant();
        int bookings = rs.getInt("total_bookings");
        List<String> segments = java.util.stream.Stream.of(Segments.byBookings(bookings), Segments.byRecency(lastBooking, now))
                .flatMap(java.util.Optional::stream).map(Segments.Segment::value).toList();
        return new Entry(rs.getLong("id"), rs.getLong("lead_id"), rs.getString("email"), rs.getString("first_name"),
                rs.getString("last_name"), rs.getString("phone"), rs.getString("source_type"), bookings,
                Arrays.asList((String[]) rs.getArray("services").getArray()), lastBooking, segments,
                rs.getString("status"), rs.getString("reason"), rs.getString("decided_by"),
                decided == null ? null : decided.toInstant(), rs.getTimestamp("created_at").toInstant(), invitation);
    }
}
