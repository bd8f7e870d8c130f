package com.engarde.signupsync.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A deploy with admin routes names the admin tokens' issuer and audience, and every admin function gets both. */
class AdminJwtDeployTest {

    static Stream<Named<Synth.Result>> repositories() {
        return Stream.of(Named.of("fixture functions", Synth.fixture()), Named.of("this repository's functions", Synth.real()),
                Named.of("fixture functions, prod", Synth.fixture(ProdSettings.CONTEXT)));
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void everyFunctionWithAnAdminRouteIsGivenTheIssuerAndTheAudience(Synth.Result synth) {
        int admin = 0;
        for (Map.Entry<String, JsonNode> entry : synth.manifests().entrySet()) {
            boolean adminRoutes = false;
            for (JsonNode route : entry.getValue().path("routes")) {
                adminRoutes |= route.path("auth").asText().equals("admin-jwt");
            }
            if (!adminRoutes) {
                continue;
            }
            admin++;
            JsonNode variables = synth.resource(synth.functionId(entry.getKey())).path("Properties").path("Environment").path("Variables");
            assertThat(variables.path("ADMIN_JWT_ISSUER").asText()).as(entry.getKey()).isEqualTo(Synth.ADMIN_JWT.get("ADMIN_JWT_ISSUER"));
            assertThat(variables.path("ADMIN_JWT_AUDIENCE").asText()).as(entry.getKey()).isEqualTo(Synth.ADMIN_JWT.get("ADMIN_JWT_AUDIENCE"));
        }
        assertThat(admin).as("functions with admin routes").isPositive();
    }

    @Test
    void aDeployWithoutTheIssuerOrTheAudienceIsRefused() {
        assertThatThrownBy(() -> Synth.of(Synth.fixtureRoot(), Map.of("ADMIN_JWT_ISSUER", "")))
                .hasMessageContaining("issuer and audience").hasMessageContaining("-c ADMIN_JWT_ISSUER=")
                .hasMessageContaining("fixture-admin");
        assertThatThrownBy(() -> Synth.of(Synth.repoRoot(), Map.of("ADMIN_JWT_AUDIENCE", "")))
                .hasMessageContaining("-c ADMIN_JWT_AUDIENCE=").hasMessageContaining("admin-sources");
    }
}
