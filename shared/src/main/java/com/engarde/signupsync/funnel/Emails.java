package com.engarde.signupsync.funnel;

import com.engarde.signupsync.api.InputText;

import java.util.regex.Pattern;

/**
 * Email addresses as lead identities: one normal form, and a plausibility check (not RFC 5322 in full). The
 * normal form is the database's own check (V5): NFC, trimmed, ASCII letters lower-cased and nothing else.
 * Lower-casing beyond ASCII is not one rule: Java and each PostgreSQL collation disagree on some letters,
 * and a local part's case is the mailbox owner's business (RFC 5321) anyway; the domain is ASCII here.
 */
public final class Emails {

    private static final Pattern PLAUSIBLE =
            Pattern.compile("^[^@\\s\"(),:;<>\\[\\]\\\\]{1,64}@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$");

    private Emails() {
    }

    /** NFC, trimmed of any space, ASCII letters lower-cased: the form leads are unique by. */
    public static String normalize(String email) {
        if (email == null) {
            return null;
        }
        String trimmed = InputText.normalize(email);
        StringBuilder lower = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return lower.toString();
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
}
