package com.engarde.signupsync.crypto;

import com.engarde.signupsync.config.SecretValues;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The keyed hash that names a person the service must forget (the suppression list, erasures): HMAC-SHA256 of the
 * email's normal form. Its key is derived from SIGNUP_SYNC_ENCRYPTION_KEY (HMAC of the key over a label of its own),
 * so it needs no secret of its own and is never the sealing key itself; whoever reads the database without the key
 * cannot test guesses against it, as they could against a bare SHA-256.
 *
 * <p>During a key rotation the hash under SIGNUP_SYNC_ENCRYPTION_KEY_PREVIOUS is answered too, so a person suppressed
 * before the rotation stays suppressed while both keys are set (see docs/privacy.md).
 */
@Singleton
public class PersonKey {

    private static final byte[] LABEL = "signup-sync person key v1".getBytes(StandardCharsets.UTF_8);

    private final SecretValues secrets;

    public PersonKey(SecretValues secrets) {
        this.secrets = secrets;
    }

    /** The hash new rows get (under the current key). */
    public byte[] hash(String normalizedEmail) {
        EncryptionKey key = secrets.get(Sealer.CURRENT).map(v -> EncryptionKey.parse(Sealer.CURRENT, v))
                .orElseThrow(() -> new EncryptionKeyMissing(Sealer.CURRENT
                        + " is not set: the suppression list cannot be read or written"));
        return hash(key, normalizedEmail);
    }

    /** The hashes a stored row may carry: under the current key, then under the previous one during a rotation. */
    public List<byte[]> hashes(String normalizedEmail) {
        List<byte[]> hashes = new ArrayList<>(2);
        hashes.add(hash(normalizedEmail));
        secrets.get(Sealer.PREVIOUS).map(v -> EncryptionKey.parse(Sealer.PREVIOUS, v))
                .ifPresent(previous -> hashes.add(hash(previous, normalizedEmail)));
        return hashes;
    }

    private static byte[] hash(EncryptionKey key, String normalizedEmail) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(key.key().getEncoded(), "HmacSHA256"));
            byte[] personKey = derive.doFinal(LABEL);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(personKey, "HmacSHA256"));
            return mac.doFinal(normalizedEmail.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
