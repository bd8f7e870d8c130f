package com.engarde.signupsync.testing;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.manifest.ServiceScope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Throwaway scoped service tokens for tests, and the SIGNUP_SYNC_SCOPED_TOKENS value that configures them, written
 * as an operator would (the SHA-256 of each token in hex, as {@code printf %s "$TOKEN" | sha256sum} prints it).
 */
public final class ScopedTokens {

    /** Configured with an empty scope list: a known token that may call nothing. */
    public static final String NO_SCOPES = "test-no-scopes-not-a-secret";

    private ScopedTokens() {
    }

    /** A configured token holding exactly {@code scope}. */
    public static String holdingOnly(ServiceScope scope) {
        return "test-only-" + slug(scope) + "-not-a-secret";
    }

    /** A configured token holding every scope except {@code scope}. */
    public static String holdingAllBut(ServiceScope scope) {
        return "test-all-but-" + slug(scope) + "-not-a-secret";
    }

    /** Properties that configure every token above, as the plain setting SIGNUP_SYNC_SCOPED_TOKENS. */
    public static Map<String, Object> properties() {
        return Map.of("signup.sync.scoped.tokens", configuration());
    }

    /** The SIGNUP_SYNC_SCOPED_TOKENS value for every token above. */
    public static String configuration() {
        List<String> entries = new ArrayList<>();
        for (ServiceScope scope : ServiceScope.values()) {
            entries.add(entry("only-" + slug(scope), holdingOnly(scope), Set.of(scope)));
            Set<ServiceScope> others = EnumSet.complementOf(EnumSet.of(scope));
            entries.add(entry("all-but-" + slug(scope), holdingAllBut(scope), others));
        }
        entries.add(entry("no-scopes", NO_SCOPES, Set.of()));
        return "[" + String.join(",", entries) + "]";
    }

    /** One entry of the configuration. */
    public static String entry(String name, String token, Collection<ServiceScope> scopes) {
        return "{\"name\":\"" + name + "\",\"sha256\":\"" + sha256(token) + "\",\"scopes\":["
                + String.join(",", scopes.stream().map(s -> "\"" + s.scopeName() + "\"").toList()) + "]}";
    }

    public static String sha256(String token) {
        return Sha256.hex(token);
    }

    private static String slug(ServiceScope scope) {
        return scope.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
