package com.engarde.signupsync.local;

import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.manifest.FunctionManifest.Route;
import com.engarde.signupsync.manifest.RouteAuth;
import com.engarde.signupsync.manifest.ServiceScope;
import com.engarde.signupsync.testing.ExpectedWarnings;
import com.engarde.signupsync.testing.ScopedTokens;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every route of every function manifest and proves that none answers without the credentials its
 * manifest declares. This module has every function on its classpath, as the local run does.
 */
class RouteAuthTest {

    private static LambdaHarness lambda;
    private static List<Route> routes;
    /** The syncs the walk's valid tokens start fail for want of credentials, which this walk does not give. */
    private static ExpectedWarnings warnings;

    @BeforeAll
    static void start() {
        warnings = ExpectedWarnings.start(java.util.regex.Pattern.compile(" WARN com\\.engarde\\.signupsync\\."
                + ExpectedWarnings.SYNC_WITHOUT_CREDENTIALS));
        lambda = new LambdaHarness(ScopedTokens.properties());
        routes = lambda.context().getBean(FunctionManifests.class).routes();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        try {
            assertThat(lambda.context().getBean(com.engarde.signupsync.bus.InProcessBus.class)
                    .awaitIdle(java.time.Duration.ofSeconds(60))).as("the syncs the walk started finished").isTrue();
            lambda.close();
        } finally {
            warnings.stop();
        }
        assertThat(warnings.lines()).allSatisfy(line -> assertThat(line).doesNotContain(LambdaHarness.TOKEN)
                .doesNotContain(LambdaHarness.PREVIOUS_TOKEN).doesNotContain("-not-a-secret"));
    }

    @Test
    void everyFunctionWithRoutesIsOnTheClasspathSoTheWalkCoversIt() {
        Path functions = LambdaHarness.eventsDir().getParent().resolve("functions");
        Set<String> declared = FunctionManifest.readAll(functions).stream().filter(m -> !m.routes().isEmpty())
                .map(FunctionManifest::name).collect(Collectors.toSet());
        Set<String> loaded = routes.stream().map(Route::function).collect(Collectors.toSet());
        assertThat(declared).isNotEmpty();
        assertThat(loaded).containsAll(declared);
    }

    @Test
    void noTokenEverReachesTheLogs() {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream capture = new java.io.PrintStream(captured, true);
        System.setOut(capture);
        System.setErr(capture);
        try {
            noServiceTokenRouteAnswersWithoutAValidToken();
            thePreviousTokenIsAcceptedDuringRotation();
            everyServiceTokenRouteLetsInExactlyTheTokensHoldingItsScope();
            lambda.handle(LambdaHarness.request("POST", "/funnel/event", "{not json"));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(captured.toString()).doesNotContain(LambdaHarness.TOKEN).doesNotContain(LambdaHarness.PREVIOUS_TOKEN)
                .doesNotContain("wrong-token").doesNotContain("-not-a-secret")
                .doesNotContain(ScopedTokens.sha256(ScopedTokens.NO_SCOPES));
    }

    @Test
    void noServiceTokenRouteAnswersWithoutAValidToken() {
        List<Route> protectedRoutes = routes.stream().filter(r -> r.auth() == RouteAuth.SERVICE_TOKEN).toList();
        assertThat(protectedRoutes).isNotEmpty();
        for (Route route : protectedRoutes) {
            String path = route.path().replaceAll("\\{[^}]+}", "x");
            for (String header : new String[]{null, "Bearer wrong-token", "Basic " + LambdaHarness.TOKEN,
                    "Bearer", LambdaHarness.TOKEN}) {
                APIGatewayProxyRequestEvent request = LambdaHarness.request(route.method(), path, "{}");
                request.getHeaders().remove("Authorization");
                if (header != null) {
                    request.getHeaders().put("Authorization", header);
                }
                Response r = lambda.handle(request);
                assertThat(r.status()).as(route.method() + " " + path + " with " + header).isEqualTo(401);
                assertThat(r.json().path("error").asText()).isEqualTo("unauthorized");
            }
        }
    }

    /**
     * For every service-token route: a token holding exactly the route's scope gets past auth, a token holding
     * every other scope gets 403, the all-scopes token gets past auth, and so does its previous value.
     */
    @Test
    void everyServiceTokenRouteLetsInExactlyTheTokensHoldingItsScope() {
        Map<ServiceScope, Integer> walked = new EnumMap<>(ServiceScope.class);
        for (Route route : routes.stream().filter(r -> r.auth() == RouteAuth.SERVICE_TOKEN).toList()) {
            String what = route.method() + " " + route.path() + " (" + route.scope() + ")";
            assertThat(route.scope()).as(what).isNotNull();
            assertThat(status(route, ScopedTokens.holdingOnly(route.scope()))).as(what + " with only its scope")
                    .isNotIn(401, 403);
            assertThat(status(route, LambdaHarness.TOKEN)).as(what + " with the all-scopes token").isNotIn(401, 403);
            assertThat(status(route, LambdaHarness.PREVIOUS_TOKEN)).as(what + " with the previous token").isNotIn(401, 403);

            Response refused = send(route, ScopedTokens.holdingAllBut(route.scope()));
            assertThat(refused.status()).as(what + " with every other scope").isEqualTo(403);
            assertThat(refused.json().path("error").asText()).as(what).isEqualTo("forbidden");
            assertThat(refused.json().path("message").asText()).as(what).contains(route.scope().scopeName());
            assertThat(send(route, ScopedTokens.NO_SCOPES).status()).as(what + " with no scope").isEqualTo(403);
            walked.merge(route.scope(), 1, Integer::sum);
        }
        assertThat(walked.keySet()).as("routes walked per scope").containsExactlyInAnyOrder(ServiceScope.values());
        assertThat(walked.values()).as("routes walked per scope").allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void aScopedTokenMayNotCallAPathNoManifestDeclares() {
        for (ServiceScope scope : ServiceScope.values()) {
            APIGatewayProxyRequestEvent request = LambdaHarness.request("GET", "/not/a/route", null);
            request.getHeaders().put("Authorization", "Bearer " + ScopedTokens.holdingOnly(scope));
            assertThat(lambda.handle(request).status()).as(scope.scopeName()).isEqualTo(403);
        }
    }

    private static int status(Route route, String token) {
        return send(route, token).status();
    }

    private static Response send(Route route, String token) {
        // A literal id: the walk is about auth, and what a route does with an id is HostileInputTest's concern.
        APIGatewayProxyRequestEvent request = LambdaHarness.request(route.method(), route.path().replaceAll("\\{[^}]+}", "x"), "{}");
        request.getHeaders().put("Authorization", "Bearer " + token);
        return lambda.handle(request);
    }

    @Test
    void adminRoutesRejectTheServiceTokenAndNoToken() {
        List<Route> adminRoutes = routes.stream().filter(r -> r.auth() == RouteAuth.ADMIN_JWT).toList();
        assertThat(adminRoutes).isNotEmpty();
        for (Route route : adminRoutes) {
            String path = route.path().replaceAll("\\{[^}]+}", "x");
            APIGatewayProxyRequestEvent request = LambdaHarness.request(route.method(), path, "{}");
            request.getHeaders().remove("Authorization");
            assertThat(lambda.handle(request).status()).as(route.method() + " " + path).isEqualTo(401);
        }
    }

    @Test
    void thePreviousTokenIsAcceptedDuringRotation() {
        APIGatewayProxyRequestEvent request = LambdaHarness.request("POST", "/funnel/event", "{}");
        request.getHeaders().put("Authorization", "Bearer " + LambdaHarness.PREVIOUS_TOKEN);

        Response r = lambda.handle(request);

        assertThat(r.status()).as("past auth, the empty event fails validation").isEqualTo(400);
    }

    @Test
    void openRoutesAnswerWithoutAToken() {
        for (Route route : routes.stream().filter(r -> r.auth() == RouteAuth.NONE).toList()) {
            APIGatewayProxyRequestEvent request = LambdaHarness.request(route.method(), route.path(), null);
            request.getHeaders().remove("Authorization");
            assertThat(lambda.handle(request).status()).as(route.path()).isEqualTo(200);
        }
    }

    @Test
    void aPathNoManifestDeclaresNeedsTheToken() {
        APIGatewayProxyRequestEvent request = LambdaHarness.request("GET", "/not/a/route", null);
        request.getHeaders().remove("Authorization");

        assertThat(lambda.handle(request).status()).isEqualTo(401);
    }
}
