package com.engarde.signupsync.observability;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place log output is cleaned: every string value of every line (message, fields, arguments, stack
 * traces) passes through it on its way into the JSON encoder (logback.xml). Email addresses (also percent-encoded),
 * phone numbers (international, or the 3-3-4 form), bearer and basic credentials and JWTs are replaced.
 */
public class PersonalDataMasker implements ValueMasker {

    public static final String EMAIL = "<email>";
    public static final String PHONE = "<phone>";
    public static final String SECRET = "<secret>";

    private static final Pattern EMAIL_ADDRESS =
            Pattern.compile("[\\p{L}\\p{N}._%+'!#$&*=?^`{|}~-]+(?:@|%40)[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+");
    private static final Pattern PHONE_NUMBER = Pattern.compile(
            "(?<![\\w+])\\+\\d[\\d ().-]{5,18}\\d(?!\\w)|(?<![\\w+.-])\\(?\\d{3}\\)?[ .-]?\\d{3}[ .-]\\d{4}(?![\\w-])");
    private static final Pattern CREDENTIAL = Pattern.compile("(?i)\\b(bearer|basic)\\s+[^\\s\",;]+");
    private static final Pattern JWT = Pattern.compile("\\beyJ[\\w-]{4,}\\.[\\w-]{4,}\\.[\\w-]*");

    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            String masked = mask(text.toString());
            return masked.contentEquals(text) ? null : masked;
        }
        return null;
    }

    /** The text with every email address, phone number and credential replaced. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        if (masked.indexOf('@') >= 0 || masked.contains("%40")) {
            masked = EMAIL_ADDRESS.matcher(masked).replaceAll(Matcher.quoteReplacement(EMAIL));
        }
        masked = CREDENTIAL.matcher(masked).replaceAll("$1 " + Matcher.quoteReplacement(SECRET));
        masked = JWT.matcher(masked).replaceAll(Matcher.quoteReplacement(SECRET));
        return PHONE_NUMBER.matcher(masked).replaceAll(Matcher.quoteReplacement(PHONE));
    }
}
