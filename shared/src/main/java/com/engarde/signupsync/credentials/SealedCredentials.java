package com.engarde.signupsync.credentials;

import com.engarde.signupsync.crypto.SealedValue;
import com.engarde.signupsync.crypto.Sealer;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Order;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials an admin stored, sealed in {@code source_credentials} by the {@link Sealer} with the source type
 * as associated data. Asked before the environment, so a stored value overrides the bootstrap one. Reads are
 * per call, so a newly stored or rotated value is used at the next request without a restart. A previous
 * secret kept for a rotation ({@code previous_*}) is answered only for the rotation window after the store that
 * kept it ({@code signup.sync.secret-rotation-window}, 24 h), so a replaced secret does not stay valid for ever.
 */
@Singleton
@Order(10)
public class SealedCredentials implements CredentialStore {

    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    static final String PREVIOUS_PREFIX = "previous_";

    private record Row(SealedValue value, Instant storedAt) {
    }

    private final Database database;
    private final Sealer sealer;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration rotationWindow;

    SealedCredentials(Database database, Sealer sealer, ObjectMapper json, Clock clock,
                      @Value("${signup.sync.secret-rotation-window:24h}") Duration rotationWindow) {
        this.database = database;
        this.sealer = sealer;
        this.json = json;
        this.clock = clock;
        this.rotationWindow = rotationWindow;
    }

    @Override
    public CredentialOrigin origin() {
        return CredentialOrigin.STORED;
    }

    /** The stored credentials, opened; throws {@code SealBroken} when the row does not open. */
    @Override
    public Optional<Credentials> find(String sourceType) {
        return database.read(c -> sealed(c, sourceType, false)).map(sealed -> open(sourceType, sealed));
    }

    /** Whether an admin stored credentials for the source (without opening them). */
    public boolean stored(String sourceType) {
        return database.read(c -> sealed(c, sourceType, false)).isPresent();
    }

    /** The key version that new and re-sealed rows get. */
    public String keyVersion() {
        return sealer.currentVersion();
    }

    /** Seals and stores a source's credentials, in the caller's transaction (beside its audit row). */
    public void store(Connection connection, String sourceType, Map<String, String> fields, String updatedBy)
            throws SQLException {
        SealedValue sealed = sealer.seal(sourceType, plaintext(fields));
        // updated_at from the one clock: it starts the rotation window of a previous secret stored with it.
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO source_credentials (source_type, key_version, nonce, ciphertext, updated_by, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (source_type) DO UPDATE SET key_version = EXCLUDED.key_version, nonce = EXCLUDED.nonce,
                    ciphertext = EXCLUDED.ciphertext, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at""")) {
            upsert.setString(1, sourceType);
            upsert.setString(2, sealed.keyVersion());
            upsert.setBytes(3, sealed.nonce());
            upsert.setBytes(4, sealed.ciphertext());
            upsert.setString(5, updatedBy);
            upsert.setTimestamp(6, Timestamp.from(clock.instant()));
            upsert.executeUpdate();
        }
    }

    /** The stored fields of a source, read inside the caller's transaction (locked until it ends). */
    public Optional<Map<String, String>> storedFields(Connection connection, String sourceType) throws SQLException {
        return sealed(connection, sourceType, true).map(sealed -> open(sourceType, sealed).fields());
    }

    /**
     * Re-seals under the current key every row sealed under another one (the previous key must still be
     * configured), in the caller's transaction: all rows move or none. Answers the source types re-sealed.
     */
    public List<String> reseal(Connection connection) throws SQLException {
        String current = sealer.currentVersion();
        List<String> resealed = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT source_type, key_version, nonce, ciphertext"
                + " FROM source_credentials WHERE key_version <> ? ORDER BY source_type FOR UPDATE");
             PreparedStatement update = connection.prepareStatement("UPDATE source_credentials"
                     + " SET key_version = ?, nonce = ?, ciphertext = ? WHERE source_type = ?")) {
            select.setString(1, current);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String sourceType = rs.getString(1);
                    SealedValue fresh = sealer.reseal(sourceType,
                            new SealedValue(rs.getString(2), rs.getBytes(3), rs.getBytes(4)));
                    update.setString(1, fresh.keyVersion());
                    update.setBytes(2, fresh.nonce());
                    update.setBytes(3, fresh.ciphertext());
                    update.setString(4, sourceType);
                    update.addBatch();
                    resealed.add(sourceType);
                }
            }
            update.executeBatch();
        }
        return resealed;
    }

    /** Every source with stored credentials, in source order. */
    public List<String> storedSources(Connection connection) throws SQLException {
        List<String> stored = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT source_type FROM source_credentials ORDER BY source_type");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        return stored;
    }

    private static Optional<Row> sealed(Connection connection, String sourceType, boolean lock)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT key_version, nonce, ciphertext, updated_at"
                + " FROM source_credentials WHERE source_type = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, sourceType);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Row(new SealedValue(rs.getString(1), rs.getBytes(2), rs.getBytes(3)),
                        rs.getTimestamp(4).toInstant())) : Optional.empty();
            }
        }
    }

    private Credentials open(String sourceType, Row row) {
        byte[] plaintext = sealer.open(sourceType, row.value());
        try {
            Map<String, String> fields = new LinkedHashMap<>(json.readValue(plaintext, FIELDS));
            if (!clock.instant().isBefore(row.storedAt().plus(rotationWindow))) {
                fields.keySet().removeIf(name -> name.startsWith(PREVIOUS_PREFIX));
            }
            return new Credentials(sourceType, origin(), fields);
        } catch (IOException e) {
            throw new IllegalStateException("the stored credentials of " + sourceType + " are not a JSON object");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private byte[] plaintext(Map<String, String> fields) {
        try {
            return json.writeValueAsBytes(fields);
        } catch (IOException e) {
            throw new IllegalStateException("credential fields could not be written as JSON", e);
        }
    }
}
