package com.engarde.signupsync.config;

import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A secret a function's manifest may ask for ({@code "secrets": ["service-token", ...]}). Locally each one is a
 * set of plain environment variables; in AWS it is one Secrets Manager secret whose ARN the function receives in
 * {@link #arnVariable()}. The secret's value is a JSON object keyed by those same variable names (a plain string
 * is taken as the first variable), so an operator sets in AWS exactly what they set locally.
 *
 * <p>The platform's own secrets are written here; an integration's is derived from its declaration
 * ({@link Integration#secret()}, carrying its fields that say {@code inSecret}). Plain like the manifest model and
 * the declarations, because the CDK app reads it too, so the two sides cannot disagree on names.
 *
 * @param manifestName how a manifest names it, and the suffix of the secret's name in Secrets Manager
 * @param arnVariable  the environment variable that carries the secret's ARN in AWS
 * @param variables    the plain environment variables this secret stands for; the first is its main value
 */
public record SecretName(String manifestName, String arnVariable, List<String> variables) {

    /**
     * The token holding every scope, the previous one during a rotation, and the scoped tokens (a JSON list of
     * name, SHA-256 and scopes; auth.ScopedTokenConfiguration), so one grant gives a function every token it checks.
     */
    public static final SecretName SERVICE_TOKEN = new SecretName("service-token", "SIGNUP_SYNC_SERVICE_TOKEN_SECRET_ARN",
            List.of("SIGNUP_SYNC_SERVICE_TOKEN", "SIGNUP_SYNC_SERVICE_TOKEN_PREVIOUS", "SIGNUP_SYNC_SCOPED_TOKENS"));
    /** The key that seals stored credentials, and the one before it while a rotation re-seals old rows. */
    public static final SecretName ENCRYPTION_KEY = new SecretName("encryption-key", "SIGNUP_SYNC_ENCRYPTION_KEY_SECRET_ARN",
            List.of("SIGNUP_SYNC_ENCRYPTION_KEY", "SIGNUP_SYNC_ENCRYPTION_KEY_PREVIOUS"));
    /** The HS256 secret admin JWTs are signed with, when the issuer does not publish a JWKS. */
    public static final SecretName ADMIN_JWT = new SecretName("admin-jwt", "ADMIN_JWT_SECRET_ARN", List.of("ADMIN_JWT_SECRET"));

    /**
     * A manifest's word for every declared integration (admin-sources stores and verifies them all): under
     * {@code secrets} their secrets, under {@code settings} their required credential fields that no secret carries.
     */
    public static final String INTEGRATIONS = "integrations";

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

    private static final List<SecretName> PLATFORM = List.of(SERVICE_TOKEN, ENCRYPTION_KEY, ADMIN_JWT);

    public SecretName {
        variables = List.copyOf(variables);
    }

    /** The platform's own secrets, which no integration declares. */
    public static List<SecretName> platform() {
        return PLATFORM;
    }

    /** The secret of every declared integration that has one, in the declarations' order. */
    public static List<SecretName> integrations() {
        List<SecretName> declared = new ArrayList<>();
        for (Integration integration : Integrations.declared().all()) {
            integration.secret().ifPresent(secret -> declared.add(new SecretName(secret.manifestName(), secret.arnVariable(),
                    integration.credentials().stream().filter(Integration.CredentialField::inSecret)
                            .map(Integration.CredentialField::variable).toList())));
        }
        for (SecretName secret : declared) {
            // A declared name or variable that is also the platform's would hand one function another's secret.
            if (secret.manifestName().equals(INTEGRATIONS) || PLATFORM.stream().anyMatch(p -> p.manifestName().equals(secret.manifestName())
                    || p.variables().stream().anyMatch(secret.variables()::contains))) {
                throw new IllegalStateException("the declared secret " + secret.manifestName() + " takes a platform secret's name or variable");
            }
        }
        return List.copyOf(declared);
    }

    /** Every secret a manifest may name: the platform's, then the declared integrations'. */
    public static List<SecretName> all() {
        return Stream.concat(PLATFORM.stream(), integrations().stream()).toList();
    }

    public static Optional<SecretName> fromManifest(String name) {
        return all().stream().filter(s -> s.manifestName.equals(name)).findFirst();
    }

    public static Optional<SecretName> carrying(String variable) {
        return all().stream().filter(s -> s.variables.contains(variable)).findFirst();
    }

    /** The configuration property an environment variable becomes: SIGNUP_SYNC_SERVICE_TOKEN is signup.sync.service.token. */
    public static String property(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }
}
