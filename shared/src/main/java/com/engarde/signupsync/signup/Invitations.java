package com.engarde.signupsync.signup;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Invitations to become a platform user: a token of 32 random bytes that only its holder has (the database
 * keeps its SHA-256), valid until it expires, redeemed once, replaced by a resend and ended by a revocation.
 */
@Singleton
public class Invitations {

    public static final long MAX_BODY_BYTES = 4 * 1024;
    public static final int DEFAULT_DAYS = 7;
    public static final int MAX_DAYS = 30;
    /** 32 bytes in unpadded base64url. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One answer for every token that does not redeem, so that none tells an unknown token from a used one. */
    static final String NOT_REDEEMABLE = "this invitation cannot be redeemed: it is unknown, expired, already used or revoked";

    private final Database database;
    private final JsonBodies bodies;
    private final Clock clock;

    public Invitations(Database database, JsonBodies bodies, Clock clock) {
        this.database = database;
        this.bodies = bodies;
        this.clock = clock;
    }

    /** A new invitation; {@code token} is given to the person and stored nowhere. */
    record Issued(long id, String token, Instant expiresAt) {
    }

    /** A redeemed invitation as the En Garde backend reads it at signup. */
    public record Redeemed(long invitationId, long leadId, String email, @Nullable String firstName,
                           @Nullable String lastName, Instant redeemedAt) {
    }

    /** The expiry an admin asked for ({@code expires_in_days}, 1 to 30), or the default 7 days. */
    static int days(ObjectNode body) {
        if (body == null || body.get("expires_in_days") == null || body.get("expires_in_days").isNull()) {
            return DEFAULT_DAYS;
        }
        long days = JsonFields.count(body, "expires_in_days", MAX_DAYS);
        if (days < 1) {
            throw new InvalidInput("expires_in_days", "expires_in_days must be a whole number between 1 and " + MAX_DAYS);
        }
        return (int) days;
    }

    /** Issues an invitation for a queue entry inside the caller's transaction; a live one is replaced (its token dies). */
    Issued issue(Connection connection, long queueId, String createdBy, int days, Instant now) throws SQLException {
        try (PreparedStatement replace = connection.prepareStatement(
                "UPDATE invitations SET status = 'replaced', revoked_at = ? WHERE queue_id = ? AND status = 'pending'")) {
            replace.setTimestamp(1, Timestamp.from(now));
            replace.setLong(2, queueId);
            replace.executeUpdate();
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expiresAt = now.plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MICROS);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO invitations (queue_id, token_hash, expires_at, created_by, created_at)
                VALUES (?, ?, ?, ?, ?) RETURNING id""")) {
            insert.setLong(1, queueId);
            insert.setBytes(2, Sha256.digest(token));
            insert.setTimestamp(3, Timestamp.from(expiresAt));
            insert.setString(4, createdBy);
            insert.setTimestamp(5, Timestamp.from(now));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new Issued(rs.getLong(1), token, expiresAt);
            }
        }
    }

    /** Ends the live invitation of a queue entry inside the caller's transaction; false when none was live. */
    boolean revoke(Connection connection, long queueId, Instant now) throws SQLException {
        try (PreparedStatement revoke = connection.prepareStatement("""
                UPDATE invitations SET status = 'revoked', revoked_at = ?
                WHERE queue_id = ? AND status = 'pending' AND expires_at > ?""")) {
            revoke.setTimestamp(1, Timestamp.from(now));
            revoke.setLong(2, queueId);
            revoke.setTimestamp(3, Timestamp.from(now));
            return revoke.executeUpdate() > 0;
        }
    }

    /**
     * POST /invitations/redeem: one UPDATE that only a pending, unexpired invitation passes, so of two concurrent
     * redemptions exactly one wins; its queue entry becomes accepted in the same transaction.
     */
    public Redeemed redeem(byte[] body) {
        ObjectNode request = bodies.object(body, MAX_BODY_BYTES);
        String token = JsonFields.requiredText(request, "token", 200);
        if (!TOKEN.matcher(token).matches()) {
            throw new NotFound("token", NOT_REDEEMABLE);
        }
        byte[] hash = Sha256.digest(token);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return database.transaction(connection -> {
            try (PreparedStatement redeem = connection.prepareStatement("""
                    WITH r AS (
                        UPDATE invitations SET status = 'redeemed', redeemed_at = ?
                        WHERE token_hash = ? AND status = 'pending' AND expires_at > ?
                        RETURNING id, queue_id, redeemed_at),
                    q AS (
                        UPDATE signup_queue s SET status = 'accepted' FROM r WHERE s.id = r.queue_id
                        RETURNING s.id, s.lead_id, s.first_name, s.last_name)
                    SELECT r.id, q.lead_id, l.email, q.first_name, q.last_name, r.redeemed_at
                    FROM r JOIN q ON q.id = r.queue_id JOIN leads l ON l.id = q.lead_id""")) {
                redeem.setTimestamp(1, Timestamp.from(now));
                redeem.setBytes(2, hash);
                redeem.setTimestamp(3, Timestamp.from(now));
                try (ResultSet rs = redeem.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFound("token", NOT_REDEEMABLE);
                    }
                    return new Redeemed(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant());
                }
            }
        });
    }
}
