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
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;

/**
 * The fields a source's credentials have, read from its {@link Integration} declaration, with the names
 * {@link EnvironmentCredentialStore} answers, and the check an admin's input passes before it is sealed.
 */
public final class CredentialShape {

    static final int MAX_LENGTH = 2000;
    /** The shortest secret without a vendor format of its own: 24 random visible characters. */
    static final int MIN_SECRET_LENGTH = 24;
    private static final int MIN_DISTINCT_CHARACTERS = 8;
    private static final String STANDARD_WEBHOOKS_PREFIX = "whsec_";
    private static final String PREVIOUS = "previous_";
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7e]+");

    private final Integration integration;

    private CredentialShape(Integration integration) {
        this.integration = integration;
    }

    /** The shapes of every declared integration with credentials. */
    public static List<CredentialShape> values() {
        return Integrations.declared().all().stream().filter(i -> !i.credentials().isEmpty())
                .map(CredentialShape::new).toList();
    }

    public static Optional<CredentialShape> of(String sourceType) {
        return Integrations.declared().find(sourceType).filter(i -> !i.credentials().isEmpty()).map(CredentialShape::new);
    }

    /** The field holding the vendor's base URL, if the source has one (changing it is for superusers). */
    public Optional<String> urlField() {
        return integration.credentials().stream().filter(f -> f.format() == Integration.Format.URL)
                .map(Integration.CredentialField::name).findFirst();
    }

    /**
     * The secret whose predecessor is kept while the vendor switches over ({@code webhook_secret}, when the
     * declaration also has {@code previous_webhook_secret}).
     */
    public Optional<String> rotatedSecret() {
        return integration.credentials().stream().map(Integration.CredentialField::name)
                .filter(name -> integration.credential(PREVIOUS + name).isPresent()).findFirst();
    }

    public String sourceType() {
        return integration.type();
    }

    /**
     * The fields to seal, checked: every required one present, nothing unknown, no value over the length limit
     * or holding a control, bidi or other invisible formatting character, every secret as strong as the
     * vendor's format (or {@value #MIN_SECRET_LENGTH} random visible characters where it has none), the
     * EasyAppointments URL an absolute https URL on a public host. The error names the field, never the value.
     */
    public Map<String, String> check(Map<String, String> fields) {
        for (String name : fields.keySet()) {
            if (integration.credential(name).isEmpty()) {
                throw new InvalidCredentials(name, integration.type() + " credentials have no field " + name
                        + "; expected " + String.join(", ", all()));
            }
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (Integration.CredentialField field : integration.credentials()) {
            String name = field.name();
            String value = fields.get(name);
            if (value == null || value.isBlank()) {
                if (field.required()) {
                    throw new InvalidCredentials(name, name + " is required for " + integration.type());
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
            if (field.secret()) {
                checkSecret(field, stripped);
            }
            checked.put(name, stripped);
        }
        urlField().ifPresent(field -> checkUrl(field, integration.displayName(),
                integration.credential(field).orElseThrow().example(), checked.get(field)));
        return checked;
    }

    private List<String> all() {
        return integration.credentials().stream().map(Integration.CredentialField::name).toList();
    }

    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    private void checkSecret(Integration.CredentialField field, String value) {
        String name = field.name();
        boolean webhook = field.format() == Integration.Format.WEBHOOK_SECRET;
        if (webhook && value.startsWith(STANDARD_WEBHOOKS_PREFIX)) {
            int bytes = decodedLength(value.substring(STANDARD_WEBHOOKS_PREFIX.length()));
            if (bytes < 24 || bytes > 64) {
                throw new InvalidCredentials(name, name + " starts with whsec_, so it must be a Standard Webhooks"
                        + " secret: whsec_ and the base64 of 24 to 64 random bytes");
            }
            return;
        }
        if (field.vendorFormat() != null && value.matches(field.vendorFormat())) {
            return;
        }
        if (value.length() < MIN_SECRET_LENGTH || !VISIBLE_ASCII.matcher(value).matches()
                || value.chars().distinct().count() < MIN_DISTINCT_CHARACTERS) {
            throw new InvalidCredentials(name, name + " is too weak: it must be the value the vendor issued, or at"
                    + " least " + MIN_SECRET_LENGTH + " random letters, digits and punctuation (no spaces)"
                    + (webhook ? ", or a Standard Webhooks secret (whsec_ and base64)" : ""));
        }
    }

    private static int decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static void checkUrl(String field, String vendor, String example, String url) {
        String problem = field + " must be the absolute https address of the " + vendor + " instance (http only on"
                + " localhost), such as " + example + ", without credentials or a query";
        if (!VISIBLE_ASCII.matcher(url).matches()) {
            throw new InvalidCredentials(field, problem + "; an international host name in its xn-- form");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidCredentials(field, problem);
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw new InvalidCredentials(field, problem);
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new InvalidCredentials(field, field + " has port " + uri.getPort() + "; a port is 1 to 65535");
        }
        try {
            VendorUrlPolicy.standard().requireAllowed(uri);
        } catch (VendorUrlRefused e) {
            throw new InvalidCredentials(field, field + " is refused: " + e.getMessage());
        }
    }
}
