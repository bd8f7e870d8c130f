package com.engarde.signupsync.crypto;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One 256-bit AES key and its version. The version is derived from the key (HMAC of a fixed label, 64 bits), so
 * it needs no configuration of its own, names the key in the database without revealing it, and cannot drift
 * from the key it names.
 */
record EncryptionKey(String version, SecretKey key) {

    static final int BYTES = 32;

    static EncryptionKey parse(String variable, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new EncryptionKeyMissing(variable + " is not base64; generate one with: openssl rand -base64 32");
        }
        if (raw.length != BYTES) {
            throw new EncryptionKeyMissing(variable + " must be " + BYTES + " bytes (base64 of " + BYTES
                    + " random bytes, as openssl rand -base64 32 prints), not " + raw.length);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            byte[] id = mac.doFinal("signup-sync key version".getBytes(StandardCharsets.UTF_8));
            return new EncryptionKey(HexFormat.of().formatHex(id, 0, 8), new SecretKeySpec(raw, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "EncryptionKey[" + version + "]";
    }
}
