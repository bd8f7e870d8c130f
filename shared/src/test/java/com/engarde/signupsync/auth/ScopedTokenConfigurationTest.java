package com.engarde.signupsync.auth;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.manifest.ServiceScope;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static com.engarde.signupsync.auth.ServiceTokensTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopedTokenConfigurationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = sha256("a-token");

    private static ScopedTokenConfiguration parse(String value) {
        return ScopedTokenConfiguration.parse(value, JSON);
    }

    private static String entry(String fields) {
        return "[{\"name\":\"backend\",\"sha256\":\"" + HASH + "\",\"scopes\":[\"sync:run\"]" + fields + "}]";
    }

    @Test
    void aBlankOrEmptyConfigurationHasNoScopedTokens() {
        assertThat(parse(null).entries()).isEmpty();
        assertThat(parse("  ").entries()).isEmpty();
        assertThat(parse("[]").entries()).isEmpty();
    }

    @Test
    void anEntryIsReadWithItsScopesAndMatchedByDigestOnly() throws Exception {
        ScopedTokenConfiguration configuration = parse("[{\"name\":\"backend-funnel\",\"sha256\":\"" + HASH
                + "\",\"scopes\":[\"funnel:write\",\"analytics:read\",\"funnel:write\"]},"
                + "{\"name\":\"ops.usage:1\",\"sha256\":\"" + sha256("other").toUpperCase() + "\",\"scopes\":[\"usage:write\"]}]");

        assertThat(configuration.entries()).hasSize(2);
        byte[] presented = Sha256.digest("a-token");
        ScopedTokenConfiguration.Entry found = configuration.match(presented).orElseThrow();
        assertThat(found.name()).isEqualTo("backend-funnel");
        assertThat(found.scopes()).containsExactlyInAnyOrder(ServiceScope.FUNNEL_WRITE, ServiceScope.ANALYTICS_READ);
        assertThat(configuration.match(Sha256.digest("other")).orElseThrow().scopes())
                .containsExactly(ServiceScope.USAGE_WRITE);
        assertThat(configuration.match(Sha256.digest("a-tokem"))).isEmpty();
        assertThat(configuration.match(HexFormat.of().parseHex(HASH.substring(0, 62)))).as("a shorter digest").isEmpty();
    }

    @Test
    void everyMistakeIsRefusedNamingTheEntryAndTheRuleButNoValue() {
        String secretish = "s3cr3t-looking-value";
        assertRefused("[{\"name\":\"" + secretish, "not valid JSON");
        assertRefused("{\"name\":\"backend\"}", "must be a JSON list");
        assertRefused("\"" + secretish + "\"", "must be a JSON list");
        assertRefused("[\"" + secretish + "\"]", "entry 1 is not an object");
        assertRefused(entry(",\"token\":\"" + secretish + "\""), "entry 1 holds a token in clear");
        assertRefused(entry(",\"" + secretish + "\":1"), "entry 1 has a field other than name, sha256 and scopes");
        assertRefused(entry(",\"scopes\":[]"), "not valid JSON (or repeats a key");
        assertRefused("[{\"sha256\":\"" + HASH + "\",\"scopes\":[]}]", "entry 1: name must be");
        assertRefused("[{\"name\":\"line\\nbreak\",\"sha256\":\"" + HASH + "\",\"scopes\":[]}]", "entry 1: name must be");
        assertRefused("[{\"name\":\"backend\",\"sha256\":\"" + secretish + "\",\"scopes\":[]}]",
                "entry 1 (backend): sha256 must be the token's SHA-256 as 64 hex digits");
        assertRefused("[{\"name\":\"backend\",\"sha256\":\"" + HASH + "0\",\"scopes\":[]}]", "64 hex digits");
        assertRefused("[{\"name\":\"backend\",\"sha256\":\"" + HASH + "\"}]", "scopes must be a list");
        assertRefused("[{\"name\":\"backend\",\"sha256\":\"" + HASH + "\",\"scopes\":\"sync:run\"}]", "scopes must be a list");
        assertRefused("[{\"name\":\"backend\",\"sha256\":\"" + HASH + "\",\"scopes\":[\"" + secretish + "\"]}]",
                "every scope must be one of funnel:write, analytics:read, sync:run, usage:write");
        assertRefused("[{\"name\":\"backend\",\"sha256\":\"" + HASH + "\",\"scopes\":[\"*\"]}]", "every scope must be one of");
        assertRefused("[{\"name\":\"backend\",\"sha256\":\"" + HASH + "\",\"scopes\":[\"SYNC:RUN\"]}]", "every scope must be one of");
        assertRefused("[{\"name\":\"backend\",\"sha256\":\"" + HASH + "\",\"scopes\":[null]}]", "every scope must be one of");
        assertRefused("[{\"name\":\"a\",\"sha256\":\"" + HASH + "\",\"scopes\":[]},{\"name\":\"b\",\"sha256\":\""
                + HASH.toUpperCase() + "\",\"scopes\":[\"usage:write\"]}]", "entries 1 and 2 have the same sha256");
    }

    private static void assertRefused(String value, String message) {
        assertThatThrownBy(() -> parse(value)).as(value).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t").doesNotContain(HASH));
    }
}
