package com.engarde.signupsync.funnel;

import java.util.Locale;
import java.util.regex.Pattern;

/** Email addresses as lead identities: one normal form, and a plausibility check (not RFC 5322 in full). */
public final class Emails {

    private static final Pattern PLAUSIBLE =
            Pattern.compile("^[^@\\s\"(),:;<>\\[\\]\\\\]{1,64}@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$");

    private Emails() {
    }

    /** Trimmed and lower-cased: the form leads are unique by. */
    public static String normalize(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    /** True for a normalized address that can be a real one. */
    public static boolean isValid(String normalized) {
        return normalized != null && normalized.length() <= 254 && PLAUSIBLE.matcher(normalized).matches();
    }
}
