package com.engarde.signupsync.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The routes of every function on the classpath, read from the {@code function.json} manifests that each
 * function's jar carries under {@value #FOLDER}. One function's jar holds one manifest; the local run holds
 * them all. The manifests are the single source of truth for routes and their auth.
 */
@Singleton
public class FunctionManifests {

    public static final String FOLDER = "META-INF/signup-sync/functions";

    /** One route of one function. */
    public record Route(String function, String method, String path, RouteAuth auth, Pattern pattern) {
        boolean matches(String requestMethod, String requestPath) {
            return method.equalsIgnoreCase(requestMethod) && pattern.matcher(requestPath).matches();
        }
    }

    private final List<Route> routes;

    public FunctionManifests(ObjectMapper mapper) {
        this.routes = load(mapper, Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : FunctionManifests.class.getClassLoader());
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * The auth of the route a request is for. A request no manifest names needs the service token: a route
     * that someone forgot to declare is closed, not open.
     */
    public RouteAuth authFor(String method, String path) {
        // HEAD is GET without the body (RFC 9110): the same route, the same auth.
        String asked = "HEAD".equalsIgnoreCase(method) ? "GET" : method;
        for (Route route : routes) {
            if (route.matches(asked, path)) {
                return route.auth();
            }
        }
        return RouteAuth.SERVICE_TOKEN;
    }

    static List<Route> load(ObjectMapper mapper, ClassLoader loader) {
        List<Route> routes = new ArrayList<>();
        try {
            for (URL folder : Collections.list(loader.getResources(FOLDER))) {
                for (String manifest : manifestsIn(folder)) {
                    try (InputStream in = loader.getResource(manifest).openStream()) {
                        routes.addAll(parse(mapper.readTree(in)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("function manifests could not be read", e);
        }
        // Literal paths before templated ones, so /sync/poshvip/deliveries is not taken for /sync/{source}.
        routes.sort((a, b) -> Long.compare(a.path().chars().filter(c -> c == '{').count(),
                b.path().chars().filter(c -> c == '{').count()));
        return List.copyOf(routes);
    }

    public static List<Route> parse(JsonNode manifest) {
        String function = manifest.path("name").asText();
        List<Route> routes = new ArrayList<>();
        for (JsonNode route : manifest.path("routes")) {
            String path = route.path("path").asText();
            routes.add(new Route(function, route.path("method").asText(), path,
                    RouteAuth.fromManifest(route.path("auth").asText()), template(path)));
        }
        return routes;
    }

    private static Pattern template(String path) {
        StringBuilder regex = new StringBuilder();
        for (String part : path.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex + "/?");
    }

    private static List<String> manifestsIn(URL folder) throws IOException {
        List<String> found = new ArrayList<>();
        if ("jar".equals(folder.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) folder.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    if (entry.getName().startsWith(FOLDER + "/") && entry.getName().endsWith("/function.json")) {
                        found.add(entry.getName());
                    }
                }
            }
        } else if ("file".equals(folder.getProtocol())) {
            try (Stream<Path> files = Files.walk(Path.of(folder.toURI()), 2)) {
                files.filter(p -> p.getFileName().toString().equals("function.json"))
                        .forEach(p -> found.add(FOLDER + "/" + p.getParent().getFileName() + "/function.json"));
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }
        return found;
    }
}
