package com.engarde.signupsync.api;

import java.text.Normalizer;

/**
 * The one rule for text a caller sends: NFC-normalized, trimmed of every kind of space (a no-break space
 * too), and refused when it holds what no stored field should: a control character (NUL included), a
 * bidirectional embedding, override or isolate, or half of a surrogate pair. PostgreSQL cannot store the
 * first and the last; the others make two spellings of one value look alike.
 */
public final class InputText {

    private InputText() {
    }

    /** NFC, then trimmed of leading and trailing whitespace and space separators. */
    public static String normalize(String raw) {
        String nfc = Normalizer.isNormalized(raw, Normalizer.Form.NFC) ? raw : Normalizer.normalize(raw, Normalizer.Form.NFC);
        int start = 0;
        int end = nfc.length();
        while (start < end && space(nfc.charAt(start))) {
            start++;
        }
        while (end > start && space(nfc.charAt(end - 1))) {
            end--;
        }
        return nfc.substring(start, end);
    }

    /**
     * What is wrong with {@code value} as stored text, or null. {@code multiline} allows tab, line feed and
     * carriage return (free text such as event data) and bidi marks; single-line fields allow neither.
     */
    public static String problem(String value, boolean multiline) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (invalid Unicode)";
            }
            if (Character.getType(c) == Character.CONTROL && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
                return String.format("contains a control character (U+%04X)", (int) c);
            }
            if (!multiline && bidiControl(c)) {
                return String.format("contains a bidirectional control character (U+%04X)", (int) c);
            }
        }
        return null;
    }

    /**
     * {@code value} with what could not be stored (control characters but tab and line breaks, half a
     * surrogate pair) replaced by U+FFFD: for text the service writes itself about input, such as a reason.
     */
    public static String printable(String value) {
        if (value == null || problem(value, true) == null) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c) || problem(String.valueOf(c), true) != null) {
                out.append('\ufffd');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Length as PostgreSQL counts it: code points, not UTF-16 units. */
    public static int length(String value) {
        return value.codePointCount(0, value.length());
    }

    /** The explicit embeddings, overrides and isolates, and the marks: characters that reorder what is shown. */
    static boolean bidiControl(char c) {
        return c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f'
                || c == '\u061c';
    }

    private static boolean space(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\ufeff';
    }
}
