package com.engarde.signupsync.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 and the constant-time comparison of digests: the one place either is written. It needs nothing but the
 * JDK, so the CDK app uses it too.
 */
public final class Sha256 {

    private Sha256() {
    }

    public static byte[] digest(byte[] bytes) {
        return incremental().digest(bytes);
    }

    /** The digest of {@code text}'s UTF-8 bytes. */
    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest in lower-case hex, as {@code sha256sum} prints it. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }

    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh digest to feed in parts (files, streams). */
    public static MessageDigest incremental() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (the MessageDigest contract).
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether two digests are equal, in time that does not depend on where they differ; false when either is
     * missing. Compare digests, never the secrets themselves, so that the secret's length does not show either.
     */
    public static boolean same(byte[] digest, byte[] other) {
        return digest != null && other != null && MessageDigest.isEqual(digest, other);
    }
}
