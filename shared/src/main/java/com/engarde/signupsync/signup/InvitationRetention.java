package com.engarde.signupsync.signup;

import com.engarde.signupsync.retention.Expiring;
import com.engarde.signupsync.retention.RetentionPeriods;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Invitations that ended before their retention: a pending one past its expiry, a redeemed one since its
 * redemption, a revoked or replaced one since then. Nothing references an invitation; its queue entry keeps the
 * outcome (approved, accepted) and the conversion keeps the funnel's count, so only the invitation's own history
 * goes (the queue listing then shows the entry without one).
 */
@Singleton
class InvitationRetention implements Expiring {

    /** The expression invitations_ended_idx indexes (V31). */
    private static final String REMOVE = """
            DELETE FROM invitations WHERE id IN (
                SELECT id FROM invitations
                WHERE (CASE status WHEN 'pending' THEN expires_at
                                   WHEN 'redeemed' THEN redeemed_at
                                   ELSE coalesce(revoked_at, expires_at) END) < ?
                LIMIT ?)
            """;

    private final RetentionPeriods periods;

    InvitationRetention(RetentionPeriods periods) {
        this.periods = periods;
    }

    @Override
    public String kind() {
        return "invitations";
    }

    @Override
    public int removeBatch(Connection connection, Instant now, int limit) throws SQLException {
        try (PreparedStatement remove = connection.prepareStatement(REMOVE)) {
            remove.setTimestamp(1, Timestamp.from(periods.invitationsBefore(now)));
            remove.setInt(2, limit);
            return remove.executeUpdate();
        }
    }
}
