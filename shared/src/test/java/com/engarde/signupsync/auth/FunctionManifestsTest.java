package com.engarde.signupsync.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime's reading of a route's scope agrees with the CDK app's (ManifestValidationTest). */
class FunctionManifestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static java.util.List<FunctionManifests.Route> parse(String route) throws Exception {
        return FunctionManifests.parse(JSON.readTree("{\"name\": \"alpha\", \"routes\": [" + route + "]}"));
    }

    @Test
    void aServiceTokenRouteCarriesItsScopeAndOtherRoutesNone() throws Exception {
        assertThat(parse("{\"method\": \"POST\", \"path\": \"/usage/metrics\", \"auth\": \"service-token\", \"scope\": \"usage:write\"}")
                .get(0).scope()).isEqualTo(ServiceScope.USAGE_WRITE);
        assertThat(parse("{\"method\": \"GET\", \"path\": \"/health\", \"auth\": \"none\"}").get(0).scope()).isNull();
    }

    @Test
    void aServiceTokenRouteWithoutAKnownScopeOrAScopeElsewhereStopsTheFunction() {
        assertThatThrownBy(() -> parse("{\"method\": \"POST\", \"path\": \"/usage/metrics\", \"auth\": \"service-token\"}"))
                .hasMessageContaining("/usage/metrics in alpha's function.json is a service-token route and needs \"scope\"")
                .hasMessageContaining("funnel:write, analytics:read, sync:run, usage:write");
        assertThatThrownBy(() -> parse("{\"method\": \"POST\", \"path\": \"/x\", \"auth\": \"service-token\", \"scope\": \"usage:*\"}"))
                .hasMessageContaining("needs \"scope\"");
        assertThatThrownBy(() -> parse("{\"method\": \"GET\", \"path\": \"/api/admin/x\", \"auth\": \"admin-jwt\", \"scope\": \"sync:run\"}"))
                .hasMessageContaining("only service-token routes take one");
    }
}
