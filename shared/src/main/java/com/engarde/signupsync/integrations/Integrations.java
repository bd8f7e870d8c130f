package com.engarde.signupsync.integrations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** Every integration declared on a classpath, sorted by type; two declarations of one type are refused. */
public final class Integrations {

    private static final Map<ClassLoader, Integrations> LOADED = new ConcurrentHashMap<>();

    private final List<Integration> all;

    private Integrations(List<Integration> all) {
        this.all = List.copyOf(all);
    }

    /** The declarations the context class loader (else this class's) can see. */
    public static Integrations declared() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return on(loader == null ? Integrations.class.getClassLoader() : loader);
    }

    public static Integrations on(ClassLoader loader) {
        return LOADED.computeIfAbsent(loader, l -> {
            List<Integration> found = new ArrayList<>();
            for (IntegrationDeclaration declaration : ServiceLoader.load(IntegrationDeclaration.class, l)) {
                Integration integration = declaration.integration();
                if (found.stream().anyMatch(i -> i.type().equals(integration.type()))) {
                    throw new IllegalStateException("two declarations of the integration " + integration.type());
                }
                found.add(integration);
            }
            found.sort(Comparator.comparing(Integration::type));
            return new Integrations(found);
        });
    }

    public List<Integration> all() {
        return all;
    }

    public Optional<Integration> find(String type) {
        return all.stream().filter(i -> i.type().equals(type)).findFirst();
    }

    public List<Integration> ofKind(Integration.Kind kind) {
        return all.stream().filter(i -> i.kind() == kind).toList();
    }

    public List<String> types() {
        return all.stream().map(Integration::type).toList();
    }
}
