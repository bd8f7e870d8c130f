package com.engarde.signupsync.funnel;

import com.engarde.signupsync.input.InputText;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Email addresses as lead identities: one normal form, and a plausibility check (not RFC 5322 in full). The
 * normal form is computed here and nowhere else (the database stores it and checks nothing that could disagree,
 * V22): full Unicode case folding (CaseFolding.txt statuses C and F, default rather than Turkic, so {@code İ}
 * folds to {@code i} + U+0307 and {@code ß} to {@code ss}), canonically composed (NFC) and trimmed. Folding
 * comes from a table shipped with the code, not from the JDK or a database locale, so every runtime agrees.
 */
public final class Emails {

    private static final Pattern PLAUSIBLE =
            Pattern.compile("^[^@\\s\"(),:;<>\\[\\]\\\\]{1,64}@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$");

    private Emails() {
    }

    /** Case folded, NFC, trimmed of any space: the form leads, admins and usage users are unique by. */
    public static String normalize(String email) {
        if (email == null) {
            return null;
        }
        String trimmed = InputText.normalize(email);
        StringBuilder lower = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c >= 0x80) {
                // Canonical caseless match (Unicode 3.13, D145): fold the decomposed form, then compose.
                return Normalizer.normalize(fold(Normalizer.normalize(trimmed, Normalizer.Form.NFD)), Normalizer.Form.NFC);
            }
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return lower.toString();
    }

    /**
     * Whether free text (a raw webhook body, a failed record's reason) mentions this normalized address in any
     * letter case: the text is folded by the same rule as {@link #normalize}, so a search agrees with the key.
     */
    public static boolean mentions(String text, String normalizedEmail) {
        if (text == null || normalizedEmail == null || normalizedEmail.isEmpty()) {
            return false;
        }
        String folded = Normalizer.normalize(fold(Normalizer.normalize(text, Normalizer.Form.NFD)), Normalizer.Form.NFC);
        return folded.contains(normalizedEmail);
    }

    /** Full case folding of {@code text}, code point by code point. */
    static String fold(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            int at = Arrays.binarySearch(Folding.FROM, cp);
            if (at >= 0) {
                out.append(Folding.TO[at]);
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /**
     * True for a normalized address that can be a real one: no space, control, format (zero-width, bidi) or
     * unpaired surrogate anywhere, so that two addresses that look alike are one.
     */
    public static boolean isValid(String normalized) {
        return normalized != null && normalized.length() <= 254 && PLAUSIBLE.matcher(normalized).matches()
                && normalized.codePoints().noneMatch(Emails::invisible);
    }

    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** The case-folding table, loaded on the first address that is not ASCII (most never need it). */
    private static final class Folding {

        static final int[] FROM;
        static final String[] TO;

        static {
            int[] from = new int[2048];
            String[] to = new String[2048];
            int n = 0;
            try (InputStream in = Emails.class.getResourceAsStream("case-folding.txt");
                 BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    int semicolon = line.indexOf(';');
                    if (n == from.length) {
                        from = Arrays.copyOf(from, n * 2);
                        to = Arrays.copyOf(to, n * 2);
                    }
                    from[n] = Integer.parseInt(line.substring(0, semicolon), 16);
                    StringBuilder folded = new StringBuilder(3);
                    for (String cp : line.substring(semicolon + 1).trim().split(" ")) {
                        folded.appendCodePoint(Integer.parseInt(cp, 16));
                    }
                    to[n++] = folded.toString();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading the case-folding table", e);
            }
            FROM = Arrays.copyOf(from, n);
            TO = Arrays.copyOf(to, n);
        }

        private Folding() {
        }
    }
}
