package com.engarde.signupsync.manifest;

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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The manifests of every function on a classpath, which each function's jar carries under {@value #FOLDER}. One
 * function's jar holds one manifest; the local run holds them all. They are the single source of truth for
 * routes, their auth and the bus sources a function takes.
 */
public final class FunctionManifests {

    public static final String FOLDER = "META-INF/signup-sync/functions";

    private final List<FunctionManifest> manifests;
    private final List<FunctionManifest.Route> routes;
    private final Set<String> busSources;

    private FunctionManifests(List<FunctionManifest> manifests) {
        FunctionManifest.checkTogether(manifests);
        this.manifests = List.copyOf(manifests);
        // Literal paths before templated ones, so /sync/poshvip/deliveries is not taken for /sync/{source}.
        this.routes = manifests.stream().flatMap(m -> m.routes().stream())
                .sorted(Comparator.comparingLong(r -> r.path().chars().filter(c -> c == '{').count())).toList();
        Set<String> sources = new TreeSet<>();
        manifests.forEach(m -> m.triggers(FunctionManifest.BusTrigger.class).forEach(t -> sources.add(t.source())));
        this.busSources = Set.copyOf(sources);
    }

    /** The manifests under {@value #FOLDER} in every jar and folder of {@code loader}'s classpath. */
    public static FunctionManifests onClasspath(ClassLoader loader) {
        // A function may be on a classpath twice (its classes and its jar): the same manifest counts once.
        Map<String, FunctionManifest> byName = new LinkedHashMap<>();
        try {
            for (URL folder : Collections.list(loader.getResources(FOLDER))) {
                for (String resource : manifestsIn(folder)) {
                    URL url = loader.getResource(resource);
                    String function = resource.split("/")[3];
                    try (InputStream in = url.openStream()) {
                        FunctionManifest manifest = FunctionManifest.read(url.toString(), function, in);
                        FunctionManifest other = byName.putIfAbsent(manifest.name(), manifest);
                        if (other != null && !other.equals(manifest)) {
                            throw new IllegalArgumentException("two different manifests of " + manifest.name() + " on the classpath");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("function manifests could not be read", e);
        }
        return new FunctionManifests(new ArrayList<>(byName.values()));
    }

    /** The manifest of the function named {@code name}, if it is on this classpath. */
    /** Every manifest found, in the order found. */
    public List<FunctionManifest> all() {
        return manifests;
    }

    public Optional<FunctionManifest> find(String name) {
        return manifests.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Every route of every manifest, literal paths first. */
    public List<FunctionManifest.Route> routes() {
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
        return routeFor(method, path).map(FunctionManifest.Route::auth).orElse(RouteAuth.SERVICE_TOKEN);
    }

    /** The declared route a request is for, if any manifest declares it. */
    public Optional<FunctionManifest.Route> routeFor(String method, String path) {
        // HEAD is GET without the body (RFC 9110): the same route, the same auth.
        String asked = "HEAD".equalsIgnoreCase(method) ? "GET" : method;
        for (FunctionManifest.Route route : routes) {
            if (route.matches(asked, path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    private static List<String> manifestsIn(URL folder) throws IOException {
        List<String> found = new ArrayList<>();
        String file = "/" + FunctionManifest.FILE_NAME;
        if ("jar".equals(folder.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) folder.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    if (entry.getName().startsWith(FOLDER + "/") && entry.getName().endsWith(file)
                            && entry.getName().split("/").length == 5) {
                        found.add(entry.getName());
                    }
                }
            }
        } else if ("file".equals(folder.getProtocol())) {
            Path root;
            try {
                root = Path.of(folder.toURI());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            try (Stream<Path> files = Files.walk(root, 2)) {
                files.filter(p -> root.relativize(p).getNameCount() == 2 && p.getFileName().toString().equals(FunctionManifest.FILE_NAME))
                        .forEach(p -> found.add(FOLDER + "/" + p.getParent().getFileName() + file));
            }
        }
        return found;
    }
}
