package com.engarde.signupsync.input;

import java.text.Normalizer;

/**
 * The one rule for text a caller sends: NFC-normalized, trimmed of every kind of space (a no-break space
 * too), and refused when it holds what no stored field should: a control character (NUL included), a
 * bidirectional embedding, override or isolate, an invisible character (a zero-width space), or half of a
 * surrogate pair. PostgreSQL cannot store the first and the last; the others make two spellings of one value
 * look alike. Numbers and ids are ASCII digits only ({@link #asciiNumber}), and text written to a log goes
 * through {@link #escaped}.
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
            if (!multiline && invisible(c)) {
                return String.format("contains an invisible character (U+%04X)", (int) c);
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

    /**
     * A whole number written in ASCII digits alone (no sign, no space, no other script's digits), at most
     * 2^63-1; null otherwise. {@link Long#parseLong} alone reads {@code \u0665} and {@code +5} as 5.
     */
    public static Long asciiNumber(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 19 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException overflow) {
            return null;
        }
    }

    /**
     * {@code value} as one log line can carry it: line breaks, other control characters, bidi controls and
     * invisible characters written as {@code \n} or {@code \u202E}, so text from a caller or a vendor can
     * neither forge a log line nor reorder one. Null stays "null".
     */
    public static String escaped(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = Character.getType(c) == Character.CONTROL || bidiControl(c) || invisible(c)
                    || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
            if (escape && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (!escape) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else {
                    out.append(String.format("\\u%04X", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** The explicit embeddings, overrides and isolates, and the marks: characters that reorder what is shown. */
    public static boolean bidiControl(char c) {
        return c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f'
                || c == '\u061c';
    }

    /**
     * Characters that show nothing and join nothing: the zero-width space, the word joiner and the invisible
     * operators, a byte-order mark inside text, the Mongolian vowel separator. The zero-width joiner and
     * non-joiner are kept: Persian, Indic scripts and emoji sequences need them.
     */
    static boolean invisible(char c) {
        return c == '\u200b' || c >= '\u2060' && c <= '\u2064' || c == '\ufeff' || c == '\u180e';
    }

    private static boolean space(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\ufeff';
    }
}
