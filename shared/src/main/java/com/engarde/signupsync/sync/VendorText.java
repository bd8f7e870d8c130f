package com.engarde.signupsync.sync;

import com.engarde.signupsync.input.InputText;

/**
 * Text from a vendor as the store accepts it: control characters other than tab and newline are dropped (a
 * NUL in a name is refused by PostgreSQL and would fail the record), and so are unpaired surrogates, which
 * have no UTF-8 form, and bidi controls, which API input refuses (they make one value look like another).
 * Ids and reasons are one line ({@link #id}, {@link #line}): a vendor's id must not start a log line of its
 * own. Connectors clean every text field at mapping; {@link SyncRecord} cleans its id and reason itself.
 */
public final class VendorText {

    private VendorText() {
    }

    /**
     * The person a vendor record names, its email normalized and its other fields cleaned (blank ones null);
     * null when the email is missing or not valid, as such a record cannot be a lead.
     */
    public static com.engarde.signupsync.funnel.Person person(String email, String first, String last, String phone) {
        String normalized = com.engarde.signupsync.funnel.Emails.normalize(email);
        if (normalized == null || normalized.isEmpty() || !com.engarde.signupsync.funnel.Emails.isValid(normalized)) {
            return null;
        }
        return new com.engarde.signupsync.funnel.Person(normalized, blankToNull(first), blankToNull(last), blankToNull(phone));
    }

    /** The cleaned text, or null when it is null or blank. */
    public static String blankToNull(String text) {
        String cleaned = clean(text);
        return cleaned == null || cleaned.isBlank() ? null : cleaned;
    }

    /** An ISO-8601 instant in {@code field} of a vendor's JSON; null when absent or not one. */
    public static java.time.Instant instant(com.fasterxml.jackson.databind.JsonNode node, String field) {
        String text = node.path(field).asText("");
        if (text.isEmpty()) {
            return null;
        }
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** A vendor's id: cleaned, without line breaks or tabs (an id is never more than one line). */
    public static String id(String text) {
        String cleaned = clean(text);
        return cleaned == null || cleaned.indexOf('\n') < 0 && cleaned.indexOf('\t') < 0 ? cleaned
                : cleaned.replace("\n", "").replace("\t", "");
    }

    /** Text kept as one line, such as a failure's reason: cleaned, line breaks and tabs as spaces. */
    public static String line(String text) {
        String cleaned = clean(text);
        return cleaned == null || cleaned.indexOf('\n') < 0 && cleaned.indexOf('\t') < 0 ? cleaned
                : cleaned.replace('\n', ' ').replace('\t', ' ');
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
        if (Character.isISOControl(c) || InputText.bidiControl(c)) {
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
