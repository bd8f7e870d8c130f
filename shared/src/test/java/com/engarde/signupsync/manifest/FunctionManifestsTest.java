package com.engarde.signupsync.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The functions' reading of the manifests their jars carry: the same parser and the same rules as the CDK app's
 * (ManifestValidationTest), found on a classpath as a function's jar or the local run carries them.
 */
class FunctionManifestsTest {

    @TempDir
    Path classpath;

    private FunctionManifests onClasspath(String... routes) throws IOException {
        Path folder = Files.createDirectories(classpath.resolve(FunctionManifests.FOLDER).resolve("alpha"));
        Files.writeString(folder.resolve(FunctionManifest.FILE_NAME), """
                {"name": "alpha", "handler": "x.Handler", "memoryMb": 512, "timeoutSeconds": 29,
                 "secrets": ["service-token"], "routes": [%s]}
                """.formatted(String.join(",", routes)));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classpath.toUri().toURL()}, null)) {
            return FunctionManifests.onClasspath(loader);
        }
    }

    private List<FunctionManifest.Route> parse(String route) throws IOException {
        return onClasspath(route).routes();
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
                .hasMessageContaining("alpha/function.json")
                .hasMessageContaining("POST /usage/metrics is a service-token route and needs \"scope\"")
                .hasMessageContaining("funnel:write, analytics:read, sync:run, usage:write");
        assertThatThrownBy(() -> parse("{\"method\": \"POST\", \"path\": \"/x\", \"auth\": \"service-token\", \"scope\": \"usage:*\"}"))
                .hasMessageContaining("needs \"scope\"");
        assertThatThrownBy(() -> parse("{\"method\": \"GET\", \"path\": \"/api/admin/x\", \"auth\": \"admin-jwt\", \"scope\": \"sync:run\"}"))
                .hasMessageContaining("only service-token routes take one");
    }

    @Test
    void aRoleMarksASuperuserRouteAndOnlyOnAdminRoutes() throws Exception {
        List<FunctionManifest.Route> routes = onClasspath(
                "{\"method\": \"GET\", \"path\": \"/api/admin/audit\", \"auth\": \"admin-jwt\", \"role\": \"superuser\"}",
                "{\"method\": \"GET\", \"path\": \"/api/admin/things\", \"auth\": \"admin-jwt\"}").routes();
        assertThat(routes).extracting(FunctionManifest.Route::superuserOnly).containsExactly(true, false);
        assertThat(routes).extracting(FunctionManifest.Route::function).containsOnly("alpha");

        assertThatThrownBy(() -> parse("{\"method\": \"GET\", \"path\": \"/a\", \"auth\": \"admin-jwt\", \"role\": \"root\"}"))
                .hasMessageContaining("unknown role 'root'");
        assertThatThrownBy(() -> parse("{\"method\": \"GET\", \"path\": \"/a\", \"auth\": \"none\", \"role\": \"superuser\"}"))
                .hasMessageContaining("only admin-jwt routes take one");
    }

    @Test
    void aRequestFindsItsRouteLiteralPathsFirst() throws Exception {
        FunctionManifests manifests = onClasspath(
                "{\"method\": \"POST\", \"path\": \"/sync/{source}\", \"auth\": \"service-token\", \"scope\": \"sync:run\"}",
                "{\"method\": \"POST\", \"path\": \"/sync/all\", \"auth\": \"service-token\", \"scope\": \"sync:run\"}",
                "{\"method\": \"GET\", \"path\": \"/\", \"auth\": \"none\"}",
                "{\"method\": \"GET\", \"path\": \"/health\", \"auth\": \"none\"}");

        assertThat(manifests.routeFor("POST", "/sync/all")).get().extracting(FunctionManifest.Route::path).isEqualTo("/sync/all");
        assertThat(manifests.routeFor("post", "/sync/zoom/")).get().extracting(FunctionManifest.Route::path).isEqualTo("/sync/{source}");
        assertThat(manifests.routeFor("HEAD", "/health")).get().extracting(FunctionManifest.Route::auth).isEqualTo(RouteAuth.NONE);
        assertThat(manifests.routeFor("GET", "/")).get().extracting(FunctionManifest.Route::path).isEqualTo("/");
        assertThat(manifests.routeFor("POST", "/sync/")).isEmpty();
        assertThat(manifests.routeFor("POST", "/sync//")).isEmpty();
        assertThat(manifests.routeFor("POST", "/sync/zoom/runs")).isEmpty();
        assertThat(manifests.routeFor("GET", "/Health")).isEmpty();
        assertThat(manifests.authFor("DELETE", "/health")).as("undeclared: closed").isEqualTo(RouteAuth.SERVICE_TOKEN);
    }
}
