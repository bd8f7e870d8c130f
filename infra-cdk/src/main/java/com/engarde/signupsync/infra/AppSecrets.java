package com.engarde.signupsync.infra;

import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;
import com.engarde.signupsync.manifest.FunctionManifest;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One Secrets Manager secret per catalog entry that some manifest asks for, named
 * {@code signup-sync/<stage>/<name>}. The template holds no value: Secrets Manager generates a random one at
 * creation (usable as is for the service token and the Posh.VIP webhook secret; the others are placeholders to
 * overwrite after the first deploy, see the README). The value format is a JSON object keyed by the variable
 * names of {@link SecretName#variables()}, or a plain string for a single-variable secret.
 */
final class AppSecrets extends Construct {

    private final Map<SecretName, Secret> secrets = new HashMap<>();

    AppSecrets(Construct scope, String id, Stage stage, Collection<FunctionManifest> manifests) {
        super(scope, id);
        Set<SecretName> wanted = new HashSet<>();
        manifests.forEach(m -> wanted.addAll(m.secrets()));
        for (SecretName name : SecretName.all().stream().filter(wanted::contains).toList()) {
            SecretStringGenerator.Builder generated = SecretStringGenerator.builder()
                    .passwordLength(48)
                    .excludePunctuation(true);
            if (name.variables().size() > 1) {
                // {"FIRST_VARIABLE": "<generated>"}: the shape the functions read, with the others to be added.
                generated.secretStringTemplate("{}").generateStringKey(name.variables().get(0));
            }
            Secret secret = Secret.Builder.create(this, name.manifestName())
                    .secretName("signup-sync/" + stage.id() + "/" + name.manifestName())
                    .description("signup-sync " + stage.id() + ": " + String.join(", ", name.variables())
                            + " (read by the functions through " + name.arnVariable() + ")")
                    .generateSecretString(generated.build())
                    .removalPolicy(stage.retainedRemoval())
                    .build();
            Nag.accept(secret, "AwsSolutions-SMG4", rotationReason(name));
            secrets.put(name, secret);
        }
    }

    ISecret secret(SecretName name) {
        return secrets.get(name);
    }

    private static String rotationReason(SecretName name) {
        if (name.equals(SecretName.SERVICE_TOKEN)) {
            return "Rotated by the operator without downtime (current and previous token are both "
                    + "accepted while the En Garde backend moves over; README, Deploy); a rotation Lambda cannot "
                    + "update the backend that presents the token.";
        }
        if (name.equals(SecretName.ENCRYPTION_KEY)) {
            return "Rotating the key means re-encrypting stored vendor credentials, which is an "
                    + "application migration, not a Secrets Manager rotation.";
        }
        return Integrations.declared().all().stream()
                .filter(i -> i.secret().filter(s -> s.manifestName().equals(name.manifestName())).isPresent()
                        && i.authMethod() == Integration.AuthMethod.WEBHOOK_SECRET)
                .findFirst()
                // A webhook secret is shared with the vendor, who signs with it: both sides change it together.
                .map(i -> "The value must also be entered in the " + i.displayName() + " dashboard by hand; "
                        + "rotation is the documented manual procedure.")
                .orElse("A vendor-issued credential: it is rotated at the vendor, then written here by the operator.");
    }
}
