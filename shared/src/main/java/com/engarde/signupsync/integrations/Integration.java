package com.engarde.signupsync.integrations;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one integration is, declared once in its vendor package ({@link IntegrationDeclaration}): the source
 * types, credential shapes, environment names, the local run's prefixes, the admin listing and the integration
 * registry are read from here. Dependency-free, like the manifest model, so any part of the build can read it.
 *
 * @param type          the type id: funnel_sources.source_type, the {@code /sync/{type}} and admin path segment
 * @param category      what it is for, in the registry's words (scheduling, webinars, events, ticketing, email)
 * @param secret        the Secrets Manager secret that carries its secret fields in AWS, if it has any
 * @param capabilities  what it can do, as the registry lists it (such as {@code read_registrants})
 * @param settings      plain environment variables it reads besides its credentials (vendor base URLs)
 */
public record Integration(String type, String displayName, String category, Kind kind, AuthMethod authMethod,
                          List<CredentialField> credentials, List<String> scopes, List<RateLimit> rateLimits,
                          List<String> capabilities, SetupDifficulty setupDifficulty, String documentation,
                          Optional<Secret> secret, List<String> settings) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{1,39}");

    public Integration {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("an integration's type is 2 to 40 of a-z, 0-9 and _, starting with a letter: " + type);
        }
        credentials = List.copyOf(credentials);
        scopes = List.copyOf(scopes);
        rateLimits = List.copyOf(rateLimits);
        capabilities = List.copyOf(capabilities);
        settings = List.copyOf(settings);
        for (CredentialField field : credentials) {
            if (field.inSecret() && secret.isEmpty()) {
                throw new IllegalArgumentException(type + "'s " + field.name() + " is carried by a secret it does not declare");
            }
        }
    }

    /** How it meets us, with the funnel_sources kind it has and the registry's integration method. */
    public enum Kind {
        PULL("pull", "pull_api"), WEBHOOK("push", "webhook"), DESTINATION("destination", "destination"),
        /** A vendor API a feature calls (Anthropic's written summaries): it brings no events and receives no contacts. */
        SERVICE("service", "service");

        private final String sourceKind;
        private final String method;

        Kind(String sourceKind, String method) {
            this.sourceKind = sourceKind;
            this.method = method;
        }

        /** True for the kinds whose events enter the funnel (a funnel_sources row and a source type). */
        public boolean bringsEvents() {
            return this == PULL || this == WEBHOOK;
        }

        /** funnel_sources.kind. */
        public String sourceKind() {
            return sourceKind;
        }

        /** The registry's integration_method. */
        public String method() {
            return method;
        }
    }

    public enum AuthMethod {
        API_KEY, OAUTH2_CLIENT_CREDENTIALS, PRIVATE_TOKEN, WEBHOOK_SECRET;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum SetupDifficulty {
        EASY, MODERATE, ADVANCED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a credential field holds, which decides the check an admin's value passes before it is sealed. */
    public enum Format {
        /** An absolute https URL on a public host (the vendor instance's address). */
        URL,
        /** An account or client id: not secret, only free of control and invisible characters. */
        IDENTIFIER,
        /** A secret: the vendor's own format ({@link CredentialField#vendorFormat()}) or 24 random visible characters. */
        SECRET,
        /** A webhook signing secret: a Standard Webhooks secret (whsec_ and base64) or 24 random visible characters. */
        WEBHOOK_SECRET;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One credential field.
     *
     * @param variable     the environment variable that carries it locally (and in AWS, through its secret when {@code inSecret})
     * @param inSecret     carried by the integration's Secrets Manager secret in AWS rather than a plain setting
     * @param vendorFormat a pattern the vendor's own secrets match, accepted whatever their length; null when none
     * @param example      a value of the right shape, never a real one
     */
    public record CredentialField(String name, String variable, boolean required, Format format, boolean inSecret,
                                  String vendorFormat, String example) {

        /** Secrets are masked and strength-checked; the rest are not. */
        public boolean secret() {
            return format == Format.SECRET || format == Format.WEBHOOK_SECRET;
        }
    }

    /** A documented rate limit and where it is documented. */
    public record RateLimit(String limit, String documentedIn) {
    }

    /** The Secrets Manager secret a function's manifest names ({@code "secrets": [name]}) and the variable carrying its ARN. */
    public record Secret(String manifestName, String arnVariable) {
    }

    /** The prefix of every environment variable of this integration ({@code ZOOM_}), which the local run passes on. */
    public String variablePrefix() {
        return type.toUpperCase(Locale.ROOT) + "_";
    }

    public Optional<CredentialField> credential(String name) {
        return credentials.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
