package com.engarde.signupsync.crypto;

import com.engarde.signupsync.config.SecretValues;
import jakarta.inject.Singleton;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Seals and opens small secrets with AES-256-GCM through the JDK's own JCA: a fresh random 96-bit nonce per seal,
 * and the context (a source type) with the key version as associated data, so a sealed value opens only for the
 * context it was sealed for and under the key version it claims.
 *
 * <p>The keys are SIGNUP_SYNC_ENCRYPTION_KEY and, during a rotation, SIGNUP_SYNC_ENCRYPTION_KEY_PREVIOUS, read
 * through {@link SecretValues} at each use (Secrets Manager in AWS, cached for the secrets TTL), so a rotated
 * key is picked up without a restart. Sealing always uses the current key; opening takes whichever key the
 * value names.
 */
@Singleton
public class Sealer {

    static final String CURRENT = "SIGNUP_SYNC_ENCRYPTION_KEY";
    static final String PREVIOUS = "SIGNUP_SYNC_ENCRYPTION_KEY_PREVIOUS";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretValues secrets;
    private final SecureRandom random = new SecureRandom();

    public Sealer(SecretValues secrets) {
        this.secrets = secrets;
    }

    public SealedValue seal(String context, byte[] plaintext) {
        EncryptionKey key = current();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(context, key.version()));
            return new SealedValue(key.version(), nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    }

    public byte[] open(String context, SealedValue sealed) {
        EncryptionKey key = keyFor(sealed.keyVersion()).orElseThrow(() -> new SealBroken("the credentials of "
                + context + " were sealed under key " + sealed.keyVersion()
                + ", which is neither the current nor the previous encryption key"));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(associatedData(context, sealed.keyVersion()));
            return cipher.doFinal(sealed.ciphertext());
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new SealBroken("the stored credentials of " + context
                    + " do not open: they were sealed for another source or altered");
        } catch (GeneralSecurityException e) {
            throw new SealBroken("the stored credentials of " + context + " do not open: " + e.getClass().getSimpleName());
        }
    }

    /** Opens under whichever key sealed it and seals again under the current key (a rotation's step). */
    public SealedValue reseal(String context, SealedValue sealed) {
        return seal(context, open(context, sealed));
    }

    /** The version new seals get; a value of another version is due for re-sealing. */
    public String currentVersion() {
        return current().version();
    }

    private EncryptionKey current() {
        return secrets.get(CURRENT).map(v -> EncryptionKey.parse(CURRENT, v)).orElseThrow(() -> new EncryptionKeyMissing(
                CURRENT + " is not set: stored credentials cannot be sealed or opened"));
    }

    private Optional<EncryptionKey> keyFor(String version) {
        EncryptionKey current = current();
        if (current.version().equals(version)) {
            return Optional.of(current);
        }
        return secrets.get(PREVIOUS).map(v -> EncryptionKey.parse(PREVIOUS, v)).filter(k -> k.version().equals(version));
    }

    private static byte[] associatedData(String context, String keyVersion) {
        return ("signup-sync/v1/" + context + "/" + keyVersion).getBytes(StandardCharsets.UTF_8);
    }
}
