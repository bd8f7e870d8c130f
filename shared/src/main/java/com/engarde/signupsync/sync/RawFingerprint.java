package com.engarde.signupsync.sync;

import com.engarde.signupsync.crypto.Sha256;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The fingerprint of a record's raw vendor form, which lets the engine recognise an unchanged record before it is
 * mapped (see {@link SyncRecord#raw}). It must change whenever what the record maps to could change, so it covers,
 * besides the raw bytes the vendor sent for the record, everything else its mapping reads: the connector's
 * mapping version (raised with every change to the mapping code), the settings the mapping reads, and the
 * vendor's other data the record refers to (a service's name, a provider's timezone). SHA-256 through
 * {@link Sha256}: a collision would hide a change.
 * <p>
 * A connector feeds one context (version, settings, catalog) once per pass, then each record's bytes:
 * {@code context.record(bytes, offset, length)}.
 */
public final class RawFingerprint {

    /** SHA-256's length, which the record log checks. */
    public static final int LENGTH = 32;

    private final MessageDigest context;

    private RawFingerprint(MessageDigest context) {
        this.context = context;
    }

    /**
     * A context for one pass: {@code parts} are the mapping version, then whatever else the mapping reads, each
     * written out unambiguously (every part is length-prefixed, so two lists of parts never feed the same bytes).
     */
    public static RawFingerprint context(String... parts) {
        MessageDigest digest = Sha256.incremental();
        for (String part : parts) {
            byte[] bytes = (part == null ? "\u0000null" : part).getBytes(StandardCharsets.UTF_8);
            digest.update(lengthPrefix(bytes.length));
            digest.update(bytes);
        }
        return new RawFingerprint(digest);
    }

    /** The fingerprint of one record in this context: its raw bytes, then any extra raw parts (its attached data). */
    public byte[] record(byte[] raw, int offset, int length, byte[]... extra) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) context.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 cannot be cloned on this platform", e);
        }
        digest.update(lengthPrefix(length));
        digest.update(raw, offset, length);
        for (byte[] part : extra) {
            digest.update(lengthPrefix(part.length));
            digest.update(part);
        }
        return digest.digest();
    }

    private static byte[] lengthPrefix(int length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }
}
