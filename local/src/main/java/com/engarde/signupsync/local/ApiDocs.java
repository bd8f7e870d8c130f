package com.engarde.signupsync.local;

import com.engarde.signupsync.auth.LocalOnlyRoutes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The local run's API contract, open to anyone: {@code GET /openapi.json} (the document {@link ApiContract}
 * generates at compile time, with the declared integrations' value lists: {@link ApiDocument}) and {@code GET /docs} (its Swagger UI page, whose scripts and styles the static
 * resources under {@value #UI_ASSETS} serve from this jar: nothing is fetched from a CDN). Not manifest routes:
 * the deployed Lambdas do not serve them.
 */
@Hidden
@Controller
class ApiDocs implements LocalOnlyRoutes {

    static final String DOCUMENT = "/openapi.json";
    static final String UI = "/docs";
    /** Where the generated page loads its assets from; LocalRun maps it to {@value #UI_ASSETS_RESOURCE}. */
    static final String UI_ASSETS = "/swagger-ui/res/";
    static final String UI_ASSETS_RESOURCE = "classpath:META-INF/swagger/views/swagger-ui/res";
    private static final String UI_RESOURCE = "META-INF/swagger/views/swagger-ui/index.html";
    private static final Set<String> OPEN_METHODS = Set.of("GET", "HEAD");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BeanProvider<EmbeddedServer> server;

    ApiDocs(BeanProvider<EmbeddedServer> server) {
        this.server = server;
    }

    @Get(value = DOCUMENT, produces = MediaType.APPLICATION_JSON)
    HttpResponse<byte[]> document() {
        return HttpResponse.ok(withThisRun(ApiDocument.load())).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /**
     * The document with its first server (the local run, written at compile time as the default port) made this
     * run's own address, so that "Try it out" reaches the run whatever its HOST and PORT.
     */
    private byte[] withThisRun(ObjectNode root) {
        try {
            JsonNode first = root.path("servers").path(0);
            if (first instanceof ObjectNode local) {
                EmbeddedServer running = server.get();
                local.put("url", "http://" + LocalRun.reachableHost(running.getHost()) + ":" + running.getPort());
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(ApiDocument.RESOURCE + " could not be written", e);
        }
    }

    @Get(value = UI, produces = MediaType.TEXT_HTML)
    HttpResponse<byte[]> ui() {
        return HttpResponse.ok(resource(UI_RESOURCE)).contentType(MediaType.TEXT_HTML_TYPE);
    }

    @Override
    public boolean opens(String method, String path) {
        return OPEN_METHODS.contains(method.toUpperCase(java.util.Locale.ROOT))
                && (path.equals(DOCUMENT) || path.equals(UI) || path.startsWith(UI_ASSETS) && !path.contains(".."));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing: the local module was built without micronaut-openapi");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " could not be read", e);
        }
    }
}
