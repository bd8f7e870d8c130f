package com.engarde.signupsync.crypto;

import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The keyed hash that names a person the service must forget (the suppression list, erasures): HMAC-SHA256 of the
 * email's normal form. Whoever reads the database without the key cannot test guesses against it, as they could
 * against a bare SHA-256.
 *
 * <p>The key is 32 random bytes made at first use and stored in {@code person_key} sealed under
 * SIGNUP_SYNC_ENCRYPTION_KEY ({@link Sealer}): no secret of its own to provision, not readable from the database
 * alone, and stable across an encryption-key rotation ({@link #reseal} re-seals it with the stored credentials), so
 * a person suppressed once stays recognisable for good.
 */
@Singleton
public class PersonKey {

    private static final String CONTEXT = "person-key";

    private final Sealer sealer;
    private final SecureRandom random = new SecureRandom();
    private volatile byte[] cached;

    public PersonKey(Sealer sealer) {
        this.sealer = sealer;
    }

    /** The person's keyed hash, read (or, the first time ever, made) inside the caller's transaction. */
    public byte[] hash(Connection connection, String normalizedEmail) throws SQLException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(connection), "HmacSHA256"));
            return mac.doFinal(normalizedEmail.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Re-seals the stored key under the current encryption key (a rotation's step); true when it moved. */
    public boolean reseal(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT key_version, nonce, ciphertext FROM person_key WHERE id = 'default' FOR UPDATE");
             ResultSet rs = select.executeQuery()) {
            if (!rs.next() || rs.getString(1).equals(sealer.currentVersion())) {
                return false;
            }
            SealedValue resealed = sealer.reseal(CONTEXT, new SealedValue(rs.getString(1), rs.getBytes(2), rs.getBytes(3)));
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE person_key SET key_version = ?, nonce = ?, ciphertext = ? WHERE id = 'default'")) {
                update.setString(1, resealed.keyVersion());
                update.setBytes(2, resealed.nonce());
                update.setBytes(3, resealed.ciphertext());
                update.executeUpdate();
            }
            return true;
        }
    }

    private byte[] key(Connection connection) throws SQLException {
        byte[] known = cached;
        if (known != null) {
            return known;
        }
        byte[] stored = read(connection);
        if (stored != null) {
            // Only a key read back from a committed row is kept: one made in this transaction may yet roll back.
            cached = stored;
            return stored;
        }
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        SealedValue sealed = sealer.seal(CONTEXT, fresh);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO person_key (id, key_version, nonce, ciphertext) VALUES ('default', ?, ?, ?)
                ON CONFLICT (id) DO NOTHING""")) {
            insert.setString(1, sealed.keyVersion());
            insert.setBytes(2, sealed.nonce());
            insert.setBytes(3, sealed.ciphertext());
            insert.executeUpdate();
        }
        // Whoever inserted first made the key: read back the row that stands.
        return read(connection);
    }

    private byte[] read(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT key_version, nonce, ciphertext FROM person_key WHERE id = 'default'");
             ResultSet rs = select.executeQuery()) {
            return rs.next() ? sealer.open(CONTEXT, new SealedValue(rs.getString(1), rs.getBytes(2), rs.getBytes(3))) : null;
        }
    }
}
