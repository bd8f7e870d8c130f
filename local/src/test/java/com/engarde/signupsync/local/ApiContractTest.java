package com.engarde.signupsync.local;

import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.manifest.FunctionManifest.Route;
import com.engarde.signupsync.manifest.RouteAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated OpenAPI document against the manifests, the single source of truth for routes: every
 * manifest route (method and path) is documented, every documented route is a manifest route, and each
 * documents its auth and answers its errors in the standard body.
 */
class ApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private static JsonNode document;
    private static List<Route> manifestRoutes;

    @BeforeAll
    static void read() throws IOException {
        document = ApiDocument.load();
        manifestRoutes = FunctionManifests.onClasspath(ApiContractTest.class.getClassLoader()).routes();
    }

    @Test
    void everyManifestRouteIsInTheDocument() {
        Set<String> manifest = manifestRoutes.stream().map(r -> key(r.method(), r.path())).collect(Collectors.toCollection(TreeSet::new));
        assertThat(manifest).as("manifest routes").hasSizeGreaterThan(30);

        assertThat(documentedRoutes().keySet()).containsAll(manifest);
    }

    @Test
    void everyDocumentedRouteIsAManifestRoute() {
        Set<String> manifest = manifestRoutes.stream().map(r -> key(r.method(), r.path())).collect(Collectors.toSet());
        Set<String> documented = documentedRoutes().keySet();
        assertThat(documented).isNotEmpty();

        assertThat(manifest).containsAll(documented);
    }

    @Test
    void everyOperationRequiresWhatItsManifestDeclares() {
        Map<String, JsonNode> documented = documentedRoutes();
        assertThat(manifestRoutes).isNotEmpty();
        for (Route route : manifestRoutes) {
            JsonNode operation = documented.get(key(route.method(), route.path()));
            assertThat(operation).as(route.method() + " " + route.path()).isNotNull();
            Set<String> schemes = new TreeSet<>();
            operation.path("security").forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
            Set<String> expected = switch (route.auth()) {
                case NONE -> Set.of();
                case SERVICE_TOKEN -> Set.of("service-token");
                case ADMIN_JWT -> Set.of("admin-jwt");
                case WEBHOOK_SIGNATURE -> Set.of("posh-secret", "posh-signature", "standard-webhooks");
            };
            assertThat(schemes).as("security of " + route.method() + " " + route.path()).isEqualTo(expected);
            // The document declares no global requirement, so an operation without one is open.
            assertThat(document.has("security")).isFalse();
            if (route.auth() != RouteAuth.NONE) {
                assertThat(operation.path("responses").has("401")).as("401 of " + route.path()).isTrue();
            }
            if (route.auth() == RouteAuth.ADMIN_JWT) {
                assertThat(operation.path("responses").has("403")).as("403 of " + route.path()).isTrue();
            }
        }
    }

    @Test
    void everyErrorAnswerIsTheStandardErrorBody() {
        JsonNode error = document.at("/components/schemas/ApiError/properties");
        assertThat(iterable(error.fieldNames())).containsExactlyInAnyOrder("error", "message", "field");
        int errors = 0;
        for (JsonNode operation : documentedRoutes().values()) {
            boolean hasClientError = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = operation.path("responses").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> response = it.next();
                // /health's 503 is its own answer (the database is unreachable), not an error body.
                boolean health = operation.path("operationId").asText().equals("health");
                if (response.getKey().startsWith("4") || response.getKey().startsWith("5") && !health) {
                    hasClientError |= response.getKey().startsWith("4");
                    errors++;
                    assertThat(response.getValue().at("/content/application~1json/schema/$ref").asText())
                            .as(operation.path("operationId").asText() + " " + response.getKey())
                            .isEqualTo("#/components/schemas/ApiError");
                }
            }
            assertThat(hasClientError).as(operation.path("operationId").asText() + " documents its 4xx").isTrue();
        }
        assertThat(errors).isGreaterThan(100);
    }

    @Test
    void everyOperationHasASummaryAndASuccess() {
        for (Map.Entry<String, JsonNode> entry : documentedRoutes().entrySet()) {
            JsonNode operation = entry.getValue();
            assertThat(operation.path("summary").asText()).as(entry.getKey()).isNotBlank();
            boolean success = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = operation.path("responses").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> response = it.next();
                success |= response.getKey().startsWith("2");
            }
            assertThat(success).as(entry.getKey() + " documents its success").isTrue();
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    /**
     * Method and path of every documented operation, a path parameter whose schema lists its values
     * ({@code /sync/{source_type}}: the pull sources with a sync function) expanded into one route per value.
     */
    static Map<String, JsonNode> documentedRoutes() {
        Map<String, JsonNode> routes = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                for (String concrete : expand(path.getKey(), op.getValue())) {
                    routes.put(key(op.getKey(), concrete), op.getValue());
                }
            }
        }
        return routes;
    }

    private static List<String> expand(String path, JsonNode operation) {
        List<String> paths = List.of(path);
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode values = parameter.at("/schema/enum");
            if ("path".equals(parameter.path("in").asText()) && values.isArray() && !values.isEmpty()) {
                String placeholder = "{" + parameter.path("name").asText() + "}";
                List<String> expanded = new ArrayList<>();
                for (String p : paths) {
                    values.forEach(v -> expanded.add(p.replace(placeholder, v.asText())));
                }
                paths = expanded;
            }
        }
        return paths;
    }

    private static String key(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}]+}", "{}");
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
