package com.engarde.signupsync.credentials;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields each source's credentials have, with the names {@link EnvironmentCredentialStore} answers, and
 * the check an admin's input passes before it is sealed.
 */
public enum CredentialShape {
    EASYAPPOINTMENTS("easyappointments", List.of("url", "api_key"), List.of()),
    ZOOM("zoom", List.of("account_id", "client_id", "client_secret"), List.of()),
    EVENTBRITE("eventbrite", List.of("private_token"), List.of("organization_id")),
    // The previous secret keeps deliveries signed before the vendor switched over accepted during a rotation.
    POSHVIP("poshvip", List.of("webhook_secret"), List.of("previous_webhook_secret")),
    BREVO("brevo", List.of("api_key"), List.of());

    static final int MAX_LENGTH = 2000;

    private final String sourceType;
    private final List<String> required;
    private final List<String> optional;

    CredentialShape(String sourceType, List<String> required, List<String> optional) {
        this.sourceType = sourceType;
        this.required = required;
        this.optional = optional;
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
     * The fields to seal, checked: every required one present, nothing unknown, no value over the length limit,
     * the EasyAppointments URL an absolute http(s) URL. The error names the field, never the value.
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
            checked.put(name, value.strip());
        }
        if (this == EASYAPPOINTMENTS) {
            checkUrl(checked.get("url"));
        }
        return checked;
    }

    private List<String> all() {
        return java.util.stream.Stream.concat(required.stream(), optional.stream()).toList();
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            if (uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawUserInfo() == null) {
                return;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw new InvalidCredentials("url", "url must be the absolute http(s) address of the EasyAppointments API,"
                + " such as https://booking.example.com/index.php/api/v1/, without credentials or a query");
    }
}
