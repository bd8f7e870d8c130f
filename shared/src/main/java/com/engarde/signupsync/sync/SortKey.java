package com.engarde.signupsync.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record's place in a listing's order: a number ({@link #of(long)}) or a text ({@link #of(String)}), compared
 * as numbers and as code points. It is stored as bytes whose unsigned order is that order (PostgreSQL compares
 * {@code bytea} the same way), so a key range reads as an index range: a tag byte (numbers before texts), then
 * a number as 8 big-endian bytes with the sign bit flipped, or a text as UTF-8 (whose byte order is code-point
 * order).
 */
public final class SortKey implements Comparable<SortKey> {

    private static final byte NUMBER = 1;
    private static final byte TEXT = 2;

    private final byte[] bytes;

    private SortKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SortKey of(long number) {
        return new SortKey(ByteBuffer.allocate(9).put(NUMBER).putLong(number ^ Long.MIN_VALUE).array());
    }

    public static SortKey of(String text) {
        Objects.requireNonNull(text, "text");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[utf8.length + 1];
        key[0] = TEXT;
        System.arraycopy(utf8, 0, key, 1, utf8.length);
        return new SortKey(key);
    }

    /** The key as stored; null for null. */
    static byte[] stored(SortKey key) {
        return key == null ? null : key.bytes;
    }

    /** A stored key; null for null. */
    static SortKey fromStored(byte[] stored) {
        return stored == null ? null : new SortKey(stored);
    }

    public boolean isNumber() {
        return bytes[0] == NUMBER && bytes.length == 9;
    }

    /** The number this key is; a text key has none. */
    public long asLong() {
        if (!isNumber()) {
            throw new IllegalStateException("sort key " + this + " is not a number");
        }
        return ByteBuffer.wrap(bytes, 1, 8).getLong() ^ Long.MIN_VALUE;
    }

    @Override
    public int compareTo(SortKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SortKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return isNumber() ? Long.toString(asLong()) : new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
    }
}
