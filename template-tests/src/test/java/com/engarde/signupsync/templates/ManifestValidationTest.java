package com.engarde.signupsync.templates;

import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.manifest.ServiceScope;
import com.engarde.signupsync.manifest.FunctionManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A manifest mistake stops the synth with a sentence that names the file and the fix, never mid-deploy. */
class ManifestValidationTest {

    @TempDir
    Path repo;

    private void manifest(String name, String body) throws IOException {
        Path folder = Files.createDirectories(repo.resolve("functions").resolve(name));
        Files.writeString(folder.resolve("function.json"), body);
    }

    private static String function(String name, String extra) {
        return """
                {"name": "%s", "handler": "x.Handler", "memoryMb": 512, "timeoutSeconds": 30, %s}
                """.formatted(name, extra);
    }

    @Test
    void theSchemaIsReadWithItsDefaults() throws IOException {
        manifest("minimal", function("minimal", "\"routes\": []"));
        FunctionManifest read = FunctionManifest.readAll(repo.resolve("functions")).get(0);
        assertThat(read.database()).isFalse();
        assertThat(read.egress()).isFalse();
        assertThat(read.busPublisher()).isFalse();
        assertThat(read.secrets()).isEmpty();
        assertThat(read.settings()).isEmpty();
        assertThat(read.triggers()).isEmpty();
        assertThat(read.invokedAsynchronously()).isFalse();
    }

    @Test
    void anUnknownSecretIsRefusedWithTheKnownNames() throws IOException {
        manifest("alpha", function("alpha", "\"secrets\": [\"database\"]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("function.json")
                .hasMessageContaining("unknown secret 'database'")
                .hasMessageContaining("service-token")
                .hasMessageContaining("\"database\": true");
    }

    /**
     * An integration's secret exists because it is declared; "integrations" names every declared one, and as a
     * setting every declared required credential field that no secret carries.
     */
    @Test
    void anIntegrationSecretIsADeclaredOneAndIntegrationsNamesThemAllWithTheirPlainFields() throws IOException {
        manifest("alpha", function("alpha", "\"secrets\": [\"acme\"]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("unknown secret 'acme'")
                .hasMessageContaining("zoom")
                .hasMessageContaining("\"integrations\"");
        manifest("alpha", function("alpha", "\"secrets\": [\"admin-jwt\", \"zoom\", \"integrations\"]"));
        assertThat(FunctionManifest.readAll(repo.resolve("functions")).get(0).secrets()).extracting(SecretName::manifestName)
                .containsExactly("admin-jwt", "zoom", "anthropic", "brevo", "easyappointments", "eventbrite", "poshvip-webhook-secret");
        manifest("alpha", function("alpha", "\"settings\": [\"ADMIN_JWT_ISSUER\", \"integrations\"]"));
        assertThat(FunctionManifest.readAll(repo.resolve("functions")).get(0).settings())
                .as("the required credential fields no secret carries").containsExactly("ADMIN_JWT_ISSUER", "EASYAPPOINTMENTS_URL");
    }

    @Test
    void aSecretCannotBeASetting() throws IOException {
        manifest("alpha", function("alpha", "\"settings\": [\"ZOOM_CLIENT_SECRET\"]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("ZOOM_CLIENT_SECRET is a secret: list \"zoom\" under \"secrets\" instead");
        manifest("alpha", function("alpha", "\"settings\": [\"SIGNUP_SYNC_STAGE\"]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("set by the app itself");
    }

    @Test
    void anOptionalSettingIsAPlainVariableListedOnce() throws IOException {
        manifest("alpha", function("alpha", "\"settings\": [\"ZOOM_PAGE_SIZE\"], \"optionalSettings\": [\"ZOOM_PAGE_SIZE\"]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions"))).hasMessageContaining("listed twice");
        manifest("alpha", function("alpha", "\"optionalSettings\": [\"ZOOM_CLIENT_SECRET\"]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions"))).hasMessageContaining("is a secret");
        manifest("alpha", function("alpha", "\"optionalSettings\": [\"SIGNUP_SYNC_STAGE\"]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions"))).hasMessageContaining("set by the app itself");
        manifest("alpha", function("alpha", "\"settings\": [\"ZOOM_API_URL\"], \"optionalSettings\": [\"ZOOM_PAGE_SIZE\"]"));
        FunctionManifest read = FunctionManifest.readAll(repo.resolve("functions")).get(0);
        assertThat(read.settings()).containsExactly("ZOOM_API_URL");
        assertThat(read.optionalSettings()).containsExactly("ZOOM_PAGE_SIZE");
    }

    @Test
    void aServiceTokenRouteNamesAKnownScopeAndReadsTheTokens() throws IOException {
        String route = "{\"method\": \"POST\", \"path\": \"/things\", \"auth\": \"service-token\"%s}";
        manifest("alpha", function("alpha", "\"secrets\": [\"service-token\"], \"routes\": [" + route.formatted("") + "]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("function.json").hasMessageContaining("POST /things")
                .hasMessageContaining("needs \"scope\": one of funnel:write, analytics:read, sync:run, usage:write");
        manifest("alpha", function("alpha", "\"secrets\": [\"service-token\"], \"routes\": ["
                + route.formatted(", \"scope\": \"funnel:wirte\"") + "]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions"))).hasMessageContaining("needs \"scope\"");
        manifest("alpha", function("alpha", "\"routes\": [" + route.formatted(", \"scope\": \"funnel:write\"") + "]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("list \"service-token\" under \"secrets\"");
        manifest("alpha", function("alpha", "\"routes\": [{\"method\": \"GET\", \"path\": \"/open\", \"auth\": \"none\","
                + " \"scope\": \"funnel:write\"}]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("only service-token routes take one");

        manifest("alpha", function("alpha", "\"secrets\": [\"service-token\"], \"routes\": ["
                + route.formatted(", \"scope\": \"usage:write\"") + "]"));
        assertThat(FunctionManifest.readAll(repo.resolve("functions")).get(0).routes().get(0).scope())
                .isEqualTo(ServiceScope.USAGE_WRITE);
    }

    @Test
    void theNameMustBeTheFolders() throws IOException {
        manifest("folder-name", function("other-name", "\"routes\": []"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("must equal its folder's name 'folder-name'");
    }

    @Test
    void aRouteClaimedTwiceIsRefused() throws IOException {
        manifest("alpha", function("alpha", "\"routes\": [{\"method\": \"GET\", \"path\": \"/things/{id}\", \"auth\": \"none\"}]"));
        manifest("beta", function("beta", "\"routes\": [{\"method\": \"get\", \"path\": \"/things/{key}\", \"auth\": \"none\"}]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("is routed by both alpha and beta");
    }

    @Test
    void aBusSourceClaimedTwiceIsRefused() throws IOException {
        manifest("alpha", function("alpha", "\"triggers\": [{\"type\": \"bus\", \"source\": \"zoom\"}]"));
        manifest("beta", function("beta", "\"triggers\": [{\"type\": \"bus\", \"source\": \"zoom\"}]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions")))
                .hasMessageContaining("bus source SyncRequested/zoom is claimed by both alpha and beta");
    }

    @Test
    void unknownTriggersAuthsAndTimesAreRefused() throws IOException {
        manifest("alpha", function("alpha", "\"triggers\": [{\"type\": \"cron\"}]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions"))).hasMessageContaining("unknown trigger type 'cron'");

        manifest("alpha", function("alpha", "\"routes\": [{\"method\": \"GET\", \"path\": \"/x\", \"auth\": \"basic\"}]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions"))).hasMessageContaining("route auth must be one of");

        manifest("alpha", function("alpha", "\"triggers\": [{\"type\": \"schedule\", \"time\": \"6pm\"}]"));
        assertThatThrownBy(() -> FunctionManifest.readAll(repo.resolve("functions"))).hasMessageContaining("HH:MM");
    }

    @Test
    void twoVariablesAtOneLevelAreRefusedBeforeCloudFormationSeesThem() throws IOException {
        Path copy = Synth.copyOf(Synth.fixtureRoot());
        Path folder = Files.createDirectories(copy.resolve("functions/fixture-other"));
        // fixture-sync-alpha already routes /fixture/sync/{source}.
        Files.writeString(folder.resolve("function.json"), function("fixture-other",
                "\"secrets\": [\"service-token\"], \"routes\": [{\"method\": \"GET\", \"path\": \"/fixture/sync/{run_id}\","
                        + " \"auth\": \"service-token\", \"scope\": \"sync:run\"}]"));
        assertThatThrownBy(() -> Synth.of(copy, Map.of()))
                .hasMessageContaining("/fixture/sync/{run_id}")
                .hasMessageContaining("API Gateway allows one");
    }

    @Test
    void theRealManifestsAreValid() {
        List<FunctionManifest> manifests = FunctionManifest.readAll(Synth.repoRoot().resolve("functions"));
        assertThat(manifests).extracting(FunctionManifest::name).contains("funnel-events", "funnel-analytics", "db-migrate");
    }
}
