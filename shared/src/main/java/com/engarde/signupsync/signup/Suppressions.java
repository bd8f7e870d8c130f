package com.engarde.signupsync.signup;

import com.engarde.signupsync.crypto.Sha256;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

/**
 * The suppression list: people never queued, invited or sent to, known only by the SHA-256 of their email's
 * normal form. Callers check it inside the transaction of their write.
 */
@Singleton
public class Suppressions {

    /** Why a person is on the list ({@code suppressed_emails.reason}). */
    public enum Reason {
        UNSUBSCRIBED, BLOCKLISTED, ERASURE, ADMIN;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which of these emails (normal forms) are suppressed. */
    public Set<String> suppressed(Connection connection, Collection<String> emails) throws SQLException {
        Map<String, String> byHash = new HashMap<>();
        for (String email : emails) {
            byHash.put(Sha256.hex(email), email);
        }
        Set<String> found = new HashSet<>();
        if (byHash.isEmpty()) {
            return found;
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT encode(email_hash, 'hex') FROM suppressed_emails"
                        + " WHERE email_hash = ANY(ARRAY(SELECT decode(h, 'hex') FROM unnest(?::text[]) h))")) {
            select.setArray(1, connection.createArrayOf("text", byHash.keySet().toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(byHash.get(rs.getString(1)));
                }
            }
        }
        return found;
    }

    public boolean isSuppressed(Connection connection, String email) throws SQLException {
        return !suppressed(connection, java.util.List.of(email)).isEmpty();
    }

    /** Adds a person (an email's normal form); adding one twice keeps the first reason. */
    public void add(Connection connection, String email, Reason reason) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO suppressed_emails (email_hash, reason) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setBytes(1, Sha256.digest(email));
            insert.setString(2, reason.id());
            insert.executeUpdate();
        }
    }
}
