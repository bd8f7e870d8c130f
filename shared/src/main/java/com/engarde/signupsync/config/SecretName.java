package com.engarde.signupsync.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The secrets a function's manifest may ask for ({@code "secrets": ["service-token", ...]}). Locally each one is
 * a set of plain environment variables; in AWS it is one Secrets Manager secret whose ARN the function receives
 * in {@link #arnVariable()}. The secret's value is a JSON object keyed by those same variable names (a plain
 * string is taken as the first variable), so an operator sets in AWS exactly what they set locally.
 *
 * <p>This enum has no dependencies: the CDK app reads it too, so the two sides cannot disagree on names.
 */
public enum SecretName {
    /**
     * The token holding every scope, the previous one during a rotation, and the scoped tokens (a JSON list of
     * name, SHA-256 and scopes; auth.ScopedTokenConfiguration), so one grant gives a function every token it checks.
     */
    SERVICE_TOKEN("service-token", "SIGNUP_SYNC_SERVICE_TOKEN_SECRET_ARN",
            "SIGNUP_SYNC_SERVICE_TOKEN", "SIGNUP_SYNC_SERVICE_TOKEN_PREVIOUS", "SIGNUP_SYNC_SCOPED_TOKENS"),
    POSHVIP_WEBHOOK_SECRET("poshvip-webhook-secret", "POSHVIP_WEBHOOK_SECRET_ARN", "POSHVIP_WEBHOOK_SECRET",
            "POSHVIP_WEBHOOK_SECRET_PREVIOUS"),
    /** The key that seals stored credentials, and the one before it while a rotation re-seals old rows. */
    ENCRYPTION_KEY("encryption-key", "SIGNUP_SYNC_ENCRYPTION_KEY_SECRET_ARN", "SIGNUP_SYNC_ENCRYPTION_KEY",
            "SIGNUP_SYNC_ENCRYPTION_KEY_PREVIOUS"),
    /** The HS256 secret admin JWTs are signed with, when the issuer does not publish a JWKS. */
    ADMIN_JWT("admin-jwt", "ADMIN_JWT_SECRET_ARN", "ADMIN_JWT_SECRET"),
    EASYAPPOINTMENTS("easyappointments", "EASYAPPOINTMENTS_SECRET_ARN", "EASYAPPOINTMENTS_API_KEY"),
    ZOOM("zoom", "ZOOM_SECRET_ARN", "ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"),
    EVENTBRITE("eventbrite", "EVENTBRITE_SECRET_ARN", "EVENTBRITE_OAUTH_TOKEN"),
    BREVO("brevo", "BREVO_SECRET_ARN", "BREVO_API_KEY"),
    ANTHROPIC("anthropic", "ANTHROPIC_SECRET_ARN", "ANTHROPIC_API_KEY");

    /**
     * The database is not in the list above: a manifest says {@code "database": true} instead, and the secret is
     * the one RDS generates ({@code {"username","password","host","port","dbname"}}).
     */
    public static final String DATABASE_ARN_VARIABLE = "ENGARDE_DATABASE_SECRET_ARN";

    /**
     * The application role's secret, given only to the function that owns the schema (db-migrate, whose
     * {@link #DATABASE_ARN_VARIABLE} is the master secret): it creates that role with this password and grants it
     * data rights. Every other function's {@link #DATABASE_ARN_VARIABLE} is this secret.
     */
    public static final String DATABASE_APP_ARN_VARIABLE = "ENGARDE_DATABASE_APP_SECRET_ARN";

    private final String manifestName;
    private final String arnVariable;
    private final List<String> variables;

    SecretName(String manifestName, String arnVariable, String... variables) {
        this.manifestName = manifestName;
        this.arnVariable = arnVariable;
        this.variables = List.of(variables);
    }

    /** How a manifest names it, and the suffix of the secret's name in Secrets Manager. */
    public String manifestName() {
        return manifestName;
    }

    /** The environment variable that carries the secret's ARN in AWS. */
    public String arnVariable() {
        return arnVariable;
    }

    /** The plain environment variables this secret stands for; the first is its main value. */
    public List<String> variables() {
        return variables;
    }

    public static Optional<SecretName> fromManifest(String name) {
        for (SecretName secret : values()) {
            if (secret.manifestName.equals(name)) {
                return Optional.of(secret);
            }
        }
        return Optional.empty();
    }

    public static Optional<SecretName> carrying(String variable) {
        for (SecretName secret : values()) {
            if (secret.variables.contains(variable)) {
                return Optional.of(secret);
            }
        }
        return Optional.empty();
    }

    /** The configuration property an environment variable becomes: SIGNUP_SYNC_SERVICE_TOKEN is signup.sync.service.token. */
    public static String property(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }
}
