package com.engarde.signupsync.crypto;

/**
 * A value sealed with AES-256-GCM: the version of the key that sealed it, the 96-bit nonce, and the ciphertext
 * with its 128-bit tag. Holds no plaintext; {@link #toString()} shows the key version only.
 */
public record SealedValue(String keyVersion, byte[] nonce, byte[] ciphertext) {

    @Override
    public String toString() {
        return "SealedValue[key " + keyVersion + "]";
    }
}
