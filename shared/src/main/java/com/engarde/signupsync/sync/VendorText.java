package com.engarde.signupsync.sync;

/**
 * Text from a vendor as the store accepts it: control characters other than tab and newline are dropped (a
 * NUL in a name is refused by PostgreSQL and would fail the record), and so are unpaired surrogates, which
 * have no UTF-8 form. Connectors clean every text field at mapping.
 */
public final class VendorText {

    private VendorText() {
    }

    /** The cleaned text; null stays null. */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int i = 0;
        while (i < n && keep(text, i)) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder cleaned = new StringBuilder(n);
        cleaned.append(text, 0, i);
        for (; i < n; i++) {
            if (keep(text, i)) {
                cleaned.append(text.charAt(i));
            }
        }
        return cleaned.toString();
    }

    private static boolean keep(String text, int i) {
        char c = text.charAt(i);
        if (c == '\t' || c == '\n') {
            return true;
        }
        if (Character.isISOControl(c)) {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
        }
        return true;
    }
}
