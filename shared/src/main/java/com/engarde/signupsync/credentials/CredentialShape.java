package com.engarde.signupsync.credentials;

import com.engarde.signupsync.http.VendorUrlPolicy;
import com.engarde.signupsync.http.VendorUrlRefused;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.Base64;

/**
 * The fields each source's credentials have, with the names {@link EnvironmentCredentialStore} answers, and
 * the check an admin's input passes before it is sealed.
 */
public enum CredentialShape {
    EASYAPPOINTMENTS("easyappointments", List.of("url", "api_key"), List.of(), List.of("api_key")),
    ZOOM("zoom", List.of("account_id", "client_id", "client_secret"), List.of(), List.of("client_secret")),
    EVENTBRITE("eventbrite", List.of("private_token"), List.of("organization_id"), List.of("private_token")),
    // The previous secret keeps deliveries signed before the vendor switched over accepted during a rotation.
    POSHVIP("poshvip", List.of("webhook_secret"), List.of("previous_webhook_secret"),
            List.of("webhook_secret", "previous_webhook_secret")),
    BREVO("brevo", List.of("api_key"), List.of(), List.of("api_key"));

    static final int MAX_LENGTH = 2000;
    /** The shortest secret without a vendor format of its own: 24 random visible characters. */
    static final int MIN_SECRET_LENGTH = 24;
    private static final int MIN_DISTINCT_CHARACTERS = 8;
    private static final String STANDARD_WEBHOOKS_PREFIX = "whsec_";
    /** Eventbrite's private tokens: 20 upper-case letters and digits. */
    private static final Pattern EVENTBRITE_PRIVATE_TOKEN = Pattern.compile("[A-Z0-9]{20,}");
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7e]+");

    private final String sourceType;
    private final List<String> required;
    private final List<String> optional;
    private final List<String> secrets;

    CredentialShape(String sourceType, List<String> required, List<String> optional, List<String> secrets) {
        this.sourceType = sourceType;
        this.required = required;
        this.optional = optional;
        this.secrets = secrets;
    }

    /** The field holding the vendor's base URL, if the source has one (changing it is for superusers). */
    public Optional<String> urlField() {
        return this == EASYAPPOINTMENTS ? Optional.of("url") : Optional.empty();
    }

    public String sourceType() {
        return sourceType;
    }

    public static Optional<CredentialShape> of(String sourceType) {
        for (CredentialShape shape : values()) {
            if (shape.sourceType.equals(sourceType)) {
                return Optional.of(shape);
            }
        }
        return Optional.empty();
    }

    /**
     * The fields to seal, checked: every required one present, nothing unknown, no value over the length limit
     * or holding a control, bidi or other invisible formatting character, every secret as strong as the
     * vendor's format (or {@value #MIN_SECRET_LENGTH} random visible characters where it has none), the
     * EasyAppointments URL an absolute https URL on a public host. The error names the field, never the value.
     */
    public Map<String, String> check(Map<String, String> fields) {
        for (String name : fields.keySet()) {
            if (!required.contains(name) && !optional.contains(name)) {
                throw new InvalidCredentials(name, sourceType + " credentials have no field " + name
                        + "; expected " + String.join(", ", all()));
            }
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (String name : all()) {
            String value = fields.get(name);
            if (value == null || value.isBlank()) {
                if (required.contains(name)) {
                    throw new InvalidCredentials(name, name + " is required for " + sourceType);
                }
                continue;
            }
            if (value.length() > MAX_LENGTH) {
                throw new InvalidCredentials(name, name + " must be at most " + MAX_LENGTH + " characters");
            }
            String stripped = value.strip();
            if (stripped.codePoints().anyMatch(CredentialShape::invisible)) {
                throw new InvalidCredentials(name, name + " must not contain line breaks, control, bidi or other"
                        + " invisible formatting characters");
            }
            if (secrets.contains(name)) {
                checkSecret(name, stripped);
            }
            checked.put(name, stripped);
        }
        urlField().ifPresent(field -> checkUrl(checked.get(field)));
        return checked;
    }

    private List<String> all() {
        return java.util.stream.Stream.concat(required.stream(), optional.stream()).toList();
    }

    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    private void checkSecret(String name, String value) {
        if (this == POSHVIP && value.startsWith(STANDARD_WEBHOOKS_PREFIX)) {
            int bytes = decodedLength(value.substring(STANDARD_WEBHOOKS_PREFIX.length()));
            if (bytes < 24 || bytes > 64) {
                throw new InvalidCredentials(name, name + " starts with whsec_, so it must be a Standard Webhooks"
                        + " secret: whsec_ and the base64 of 24 to 64 random bytes");
            }
            return;
        }
        if (this == EVENTBRITE && EVENTBRITE_PRIVATE_TOKEN.matcher(value).matches()) {
            return;
        }
        if (value.length() < MIN_SECRET_LENGTH || !VISIBLE_ASCII.matcher(value).matches()
                || value.chars().distinct().count() < MIN_DISTINCT_CHARACTERS) {
            throw new InvalidCredentials(name, name + " is too weak: it must be the value the vendor issued, or at"
                    + " least " + MIN_SECRET_LENGTH + " random letters, digits and punctuation (no spaces)"
                    + (this == POSHVIP ? ", or a Standard Webhooks secret (whsec_ and base64)" : ""));
        }
    }

    private static int decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static void checkUrl(String url) {
        String problem = "url must be the absolute https address of the EasyAppointments instance (http only on"
                + " localhost), such as https://booking.example.com/index.php/api/v1/, without credentials or a query";
        if (!VISIBLE_ASCII.matcher(url).matches()) {
            throw new InvalidCredentials("url", problem + "; an international host name in its xn-- form");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidCredentials("url", problem);
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw new InvalidCredentials("url", problem);
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new InvalidCredentials("url", "url has port " + uri.getPort() + "; a port is 1 to 65535");
        }
        try {
            VendorUrlPolicy.standard().requireAllowed(uri);
        } catch (VendorUrlRefused e) {
            throw new InvalidCredentials("url", "url is refused: " + e.getMessage());
        }
    }
}
