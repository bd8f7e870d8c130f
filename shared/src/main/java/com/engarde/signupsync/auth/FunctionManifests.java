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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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

    /**
     * One route of one function. {@code superuserOnly} is the manifest's {@code "role": "superuser"} on an
     * admin-jwt route: designated platform admins may not use it, only superusers. {@code scope} is the
     * manifest's {@code "scope"} on a service-token route (the one a token must hold to call it), null on others.
     */
    public record Route(String function, String method, String path, RouteAuth auth, boolean superuserOnly,
                        ServiceScope scope, Pattern pattern) {
        boolean matches(String requestMethod, String requestPath) {
            return method.equalsIgnoreCase(requestMethod) && pattern.matcher(requestPath).matches();
        }
    }

    private final List<Route> routes;
    private final Set<String> busSources;

    public FunctionManifests(ObjectMapper mapper) {
        List<JsonNode> manifests = read(mapper, Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : FunctionManifests.class.getClassLoader());
        this.routes = routes(manifests);
        Set<String> sources = new TreeSet<>();
        for (JsonNode manifest : manifests) {
            for (JsonNode trigger : manifest.path("triggers")) {
                if ("bus".equals(trigger.path("type").asText()) && trigger.hasNonNull("source")) {
                    sources.add(trigger.get("source").asText());
                }
            }
        }
        this.busSources = Set.copyOf(sources);
    }

    public List<Route> routes() {
        return routes;
    }

    /** The sources whose SyncRequested events a function on this classpath takes (its bus triggers). */
    public Set<String> busSources() {
        return busSources;
    }

    /**
     * The auth of the route a request is for. A request no manifest names needs the service token: a route
     * that someone forgot to declare is closed, not open.
     */
    public RouteAuth authFor(String method, String path) {
        return routeFor(method, path).map(Route::auth).orElse(RouteAuth.SERVICE_TOKEN);
    }

    /** The declared route a request is for, if any manifest declares it. */
    public Optional<Route> routeFor(String method, String path) {
        // HEAD is GET without the body (RFC 9110): the same route, the same auth.
        String asked = "HEAD".equalsIgnoreCase(method) ? "GET" : method;
        for (Route route : routes) {
            if (route.matches(asked, path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    static List<Route> load(ObjectMapper mapper, ClassLoader loader) {
        return routes(read(mapper, loader));
    }

    private static List<JsonNode> read(ObjectMapper mapper, ClassLoader loader) {
        List<JsonNode> manifests = new ArrayList<>();
        try {
            for (URL folder : Collections.list(loader.getResources(FOLDER))) {
                for (String manifest : manifestsIn(folder)) {
                    try (InputStream in = loader.getResource(manifest).openStream()) {
                        manifests.add(mapper.readTree(in));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("function manifests could not be read", e);
        }
        return manifests;
    }

    private static List<Route> routes(List<JsonNode> manifests) {
        List<Route> routes = new ArrayList<>();
        for (JsonNode manifest : manifests) {
            routes.addAll(parse(manifest));
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
            String role = route.path("role").asText("admin");
            if (!role.equals("admin") && !role.equals("superuser")) {
                throw new IllegalArgumentException("unknown role '" + role + "' in " + function
                        + "'s function.json; use admin or superuser");
            }
            RouteAuth auth = RouteAuth.fromManifest(route.path("auth").asText());
            routes.add(new Route(function, route.path("method").asText(), path, auth, role.equals("superuser"),
                    scope(function, path, auth, route.path("scope")), template(path)));
        }
        return routes;
    }

    /** A service-token route names the scope it needs; no other route has one (a typo must not open a route). */
    private static ServiceScope scope(String function, String path, RouteAuth auth, JsonNode scope) {
        if (auth != RouteAuth.SERVICE_TOKEN) {
            if (!scope.isMissingNode()) {
                throw new IllegalArgumentException(path + " in " + function
                        + "'s function.json has a scope, but only service-token routes take one");
            }
            return null;
        }
        return ServiceScope.fromName(scope.asText()).orElseThrow(() -> new IllegalArgumentException(path + " in "
                + function + "'s function.json is a service-token route and needs \"scope\": one of "
                + ServiceScope.names()));
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
