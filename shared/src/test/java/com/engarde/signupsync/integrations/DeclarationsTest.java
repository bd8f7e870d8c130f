package com.engarde.signupsync.integrations;

import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.funnel.SourceType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The declarations found on the classpath, and what is derived from them or must agree with them. */
class DeclarationsTest {

    @Test
    void everyIntegrationIsDeclaredOnceInItsVendorPackage() {
        List<Integration> all = Integrations.declared().all();

        assertThat(all).extracting(Integration::type)
                .containsExactly("anthropic", "brevo", "easyappointments", "eventbrite", "poshvip", "zoom");
        int declarations = 0;
        for (IntegrationDeclaration declaration : java.util.ServiceLoader.load(IntegrationDeclaration.class)) {
            assertThat(declaration.getClass().getPackageName())
                    .isEqualTo("com.engarde.signupsync.sources." + declaration.integration().type());
            declarations++;
        }
        assertThat(declarations).isEqualTo(all.size());
        for (Integration integration : all) {
            assertThat(integration.rateLimits()).allSatisfy(limit -> assertThat(limit.documentedIn()).isNotBlank());
            assertThat(integration.documentation()).startsWith("https://");
        }
    }

    @Test
    void theSourceTypesAreTheDeclaredIntegrationsThatBringEventsAndTheBackendsOwn() {
        assertThat(SourceType.values()).extracting(SourceType::id).containsExactly("easyappointments", "eventbrite",
                "poshvip", "zoom", "manual", "referral", "direct_signup");
        assertThat(SourceType.fromId("brevo")).as("a destination brings no events").isEmpty();
        assertThat(SourceType.fromId("anthropic")).as("a service the insights call brings no events").isEmpty();
    }

    /** The local run passes on the variables under an integration's prefix, and no others. */
    @Test
    void everyVariableOfAnIntegrationCarriesItsPrefix() {
        int variables = 0;
        for (Integration integration : Integrations.declared().all()) {
            for (Integration.CredentialField field : integration.credentials()) {
                assertThat(field.variable()).startsWith(integration.variablePrefix());
                variables++;
            }
            assertThat(integration.settings()).allSatisfy(s -> assertThat(s).startsWith(integration.variablePrefix()));
        }
        assertThat(variables).isGreaterThanOrEqualTo(9);
    }

    /**
     * An integration's Secrets Manager secret is its declaration's (name, ARN variable, the fields it carries, in
     * order), beside the platform's own secrets and taking none of their names or variables.
     */
    @Test
    void theSecretsManagerSecretsOfTheIntegrationsAreDerivedFromTheirDeclarations() {
        int secrets = 0;
        for (Integration integration : Integrations.declared().all()) {
            if (integration.secret().isEmpty()) {
                assertThat(integration.credentials()).noneMatch(Integration.CredentialField::inSecret);
                continue;
            }
            Integration.Secret declared = integration.secret().get();
            SecretName name = SecretName.fromManifest(declared.manifestName()).orElseThrow(() -> new AssertionError(
                    integration.type() + ": no secret " + declared.manifestName()));
            assertThat(name.arnVariable()).isEqualTo(declared.arnVariable());
            assertThat(name.variables()).as(integration.type()).containsExactlyElementsOf(integration.credentials().stream()
                    .filter(Integration.CredentialField::inSecret).map(Integration.CredentialField::variable).toList());
            assertThat(SecretName.integrations()).contains(name);
            secrets++;
        }
        assertThat(secrets).isEqualTo(6);
        assertThat(SecretName.platform()).extracting(SecretName::manifestName)
                .containsExactly("service-token", "encryption-key", "admin-jwt");
        assertThat(SecretName.all()).hasSize(SecretName.platform().size() + secrets);
        assertThat(SecretName.all().stream().flatMap(s -> s.variables().stream())).doesNotHaveDuplicates();
        assertThat(SecretName.all().stream().map(SecretName::manifestName)).doesNotHaveDuplicates()
                .doesNotContain(SecretName.INTEGRATIONS);
    }
}
