package com.engarde.signupsync.signup;

import com.engarde.signupsync.crypto.PersonKey;
import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.funnel.ErasedPeople;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

/**
 * The suppression list: people never queued, invited, sent to or written again, known only by a keyed hash of their
 * email's normal form ({@link PersonKey}). Rows from before the list was keyed hold a bare SHA-256 and are still
 * read. Callers check it inside the transaction of their write.
 */
@Singleton
public class Suppressions implements ErasedPeople {

    private final PersonKey keys;

    public Suppressions(PersonKey keys) {
        this.keys = keys;
    }

    /** Why a person is on the list ({@code suppressed_emails.reason}). */
    public enum Reason {
        UNSUBSCRIBED, BLOCKLISTED, ERASURE, ADMIN;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which of these emails (normal forms) are suppressed. */
    public Set<String> suppressed(Connection connection, Collection<String> emails) throws SQLException {
        Map<String, String> keyed = new HashMap<>();
        Map<String, String> bare = new HashMap<>();
        // The key is needed only once someone is on the list under it (see erased()).
        boolean anyKeyed = exists(connection, "keyed");
        for (String email : emails) {
            if (anyKeyed) {
                keyed.put(HexFormat.of().formatHex(keys.hash(connection, email)), email);
            }
            bare.put(Sha256.hex(email), email);
        }
        Set<String> found = new HashSet<>();
        if (bare.isEmpty()) {
            return found;
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT encode(email_hash, 'hex'), keyed FROM suppressed_emails"
                        + " WHERE email_hash = ANY(ARRAY(SELECT decode(h, 'hex') FROM unnest(?::text[]) h))")) {
            List<String> all = new ArrayList<>(keyed.keySet());
            all.addAll(bare.keySet());
            select.setArray(1, connection.createArrayOf("text", all.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String email = (rs.getBoolean(2) ? keyed : bare).get(rs.getString(1));
                    if (email != null) {
                        found.add(email);
                    }
                }
            }
        }
        return found;
    }

    /**
     * Which of these emails were erased. Nothing needs the key while no one was (the common case, one index probe),
     * so a function asks for SIGNUP_SYNC_ENCRYPTION_KEY only once there is someone to recognise.
     */
    @Override
    public Set<String> erased(Connection connection, Collection<String> emails) throws SQLException {
        Set<String> found = new HashSet<>();
        if (emails.isEmpty()) {
            return found;
        }
        if (!exists(connection, "reason = 'erasure'")) {
            return found;
        }
        Map<String, String> byHash = new HashMap<>();
        for (String email : new HashSet<>(emails)) {
            byHash.put(HexFormat.of().formatHex(keys.hash(connection, email)), email);
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT encode(email_hash, 'hex') FROM suppressed_emails WHERE reason = 'erasure' AND keyed"
                        + " AND email_hash = ANY(ARRAY(SELECT decode(h, 'hex') FROM unnest(?::text[]) h))")) {
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
        return !suppressed(connection, List.of(email)).isEmpty();
    }

    /**
     * Adds a person (an email's normal form) under the keyed hash; adding one twice keeps the first reason, except
     * that an erasure replaces an opt-out. A bare
     * row for the same person is replaced, so the list holds no guessable hash of anyone it was told about again.
     */
    public void add(Connection connection, String email, Reason reason) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM suppressed_emails WHERE email_hash = ? AND NOT keyed")) {
            delete.setBytes(1, Sha256.digest(email));
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO suppressed_emails AS s (email_hash, reason, keyed) VALUES (?, ?, true)"
                        // An erasure outranks an opt-out: it is what keeps every writer from the person.
                        + " ON CONFLICT (email_hash) DO UPDATE SET reason = 'erasure' WHERE EXCLUDED.reason = 'erasure'")) {
            insert.setBytes(1, keys.hash(connection, email));
            insert.setString(2, reason.id());
            insert.executeUpdate();
        }
    }

    private static boolean exists(Connection connection, String condition) throws SQLException {
        try (PreparedStatement any = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM suppressed_emails WHERE " + condition + ")");
             ResultSet rs = any.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
