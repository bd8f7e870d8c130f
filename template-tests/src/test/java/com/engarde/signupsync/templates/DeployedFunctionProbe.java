package com.engarde.signupsync.templates;

import com.engarde.signupsync.bus.ScheduleHandler;
import com.engarde.signupsync.bus.SyncRequestedHandler;
import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.sync.SyncSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpMethod;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.web.router.Router;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs in a JVM of its own, started by {@link DeployedConfigurationTest} with one function's classpath and exactly
 * the environment its Lambda has: builds the function's handler as the Lambda runtime does (its no-argument
 * constructor, which starts the application context), then reports, as JSON on the last line of standard output,
 * what the function will use. The beans it uses are the closure, over constructor, field and method injection, of
 * its entry points: the controllers its manifest routes reach, the bus and schedule handlers where its manifest
 * has those triggers, its own module's beans and the route filters. For each: the settings it injects (as Micronaut resolves them here, defaults
 * included), the bean types it depends on, and for each credential check and sync handler the settings of its own
 * closure, since those run within a budget of their own.
 */
public final class DeployedFunctionProbe {

    static final String MARKER = "DEPLOYED-FUNCTION-PROBE ";

    private static final Set<String> INFRASTRUCTURE = Set.of("io.micronaut.context.ApplicationContext",
            "io.micronaut.context.BeanContext", "io.micronaut.context.env.Environment", "io.micronaut.core.convert.ConversionService",
            "io.micronaut.context.BeanLocator", "io.micronaut.context.BeanProvider", "io.micronaut.inject.InjectionPoint");

    private DeployedFunctionProbe() {
    }

    /** Arguments: the handler class, the manifest's trigger types (comma-separated), then its routes as "METHOD /path". */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        ObjectNode report = json.createObjectNode();
        Set<String> triggers = new LinkedHashSet<>();
        Set<String> busSources = new LinkedHashSet<>();
        for (String trigger : args[1].split(",")) {
            String[] parts = trigger.split(":", 2);
            triggers.add(parts[0]);
            if (parts.length == 2) {
                busSources.add(parts[1]);
            }
        }
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        ApplicationContext context = applicationContext(handler);
        try {
            Set<BeanDefinition<?>> entries = new LinkedHashSet<>();
            for (BeanDefinition<?> definition : context.getAllBeanDefinitions()) {
                Class<?> type = definition.getBeanType();
                if (type.getPackageName().startsWith("com.engarde.signupsync.functions.")
                        || (triggers.contains("bus") && SyncRequestedHandler.class.isAssignableFrom(type))
                        || (triggers.contains("schedule") && ScheduleHandler.class.isAssignableFrom(type))
                        || definition.getAnnotationMetadata().hasStereotype("io.micronaut.http.annotation.ServerFilter")
                        || definition.getAnnotationMetadata().hasStereotype("io.micronaut.http.annotation.Filter")) {
                    entries.add(definition);
                }
            }
            ArrayNode routes = report.putArray("routes");
            Optional<Router> router = context.findBean(Router.class);
            for (int i = 2; i < args.length; i++) {
                String[] route = args[i].split(" ", 2);
                String path = route[1].replaceAll("\\{[^}]+}", "sample");
                Optional<? extends io.micronaut.web.router.UriRouteMatch<Object, Object>> match = router.isPresent()
                        ? router.get().route(HttpMethod.valueOf(route[0]), path) : Optional.empty();
                ObjectNode row = routes.addObject().put("route", args[i]);
                if (match.isPresent()) {
                    Class<?> controller = match.get().getRouteInfo().getTargetMethod().getDeclaringType();
                    row.put("controller", controller.getName());
                    entries.addAll(context.getBeanDefinitions(controller));
                }
            }

            Environment environment = context.getEnvironment();
            Map<BeanDefinition<?>, Set<BeanDefinition<?>>> edges = new LinkedHashMap<>();
            Set<BeanDefinition<?>> closure = closure(context, entries, edges, busSources);
            ObjectNode beans = report.putObject("beans");
            for (BeanDefinition<?> definition : closure) {
                ObjectNode bean = beans.putObject(definition.getBeanType().getName());
                ArrayNode settings = bean.putArray("settings");
                for (Argument<?> argument : arguments(definition)) {
                    Optional<String> expression = argument.getAnnotationMetadata().stringValue(Value.class);
                    if (expression.isPresent()) {
                        ObjectNode setting = settings.addObject()
                                .put("expression", expression.get())
                                .put("type", argument.getType().getSimpleName());
                        try {
                            String value = environment.getPlaceholderResolver().resolveRequiredPlaceholders(expression.get());
                            setting.put("value", value);
                            if (argument.getType().equals(Duration.class) && !value.isBlank()) {
                                context.getConversionService().convert(value, Duration.class)
                                        .ifPresent(d -> setting.put("millis", d.toMillis()));
                            }
                        } catch (RuntimeException e) {
                            setting.put("unresolved", e.getMessage());
                        }
                    }
                }
                ArrayNode depends = bean.putArray("dependsOn");
                edges.getOrDefault(definition, Set.of()).forEach(d -> depends.add(d.getBeanType().getName()));
            }
            ObjectNode budgets = report.putObject("budgeted");
            for (BeanDefinition<?> definition : closure) {
                Class<?> type = definition.getBeanType();
                String path = CredentialCheck.class.isAssignableFrom(type) ? "verify"
                        : SyncRequestedHandler.class.isAssignableFrom(type) ? "sync" : null;
                if (path != null) {
                    ArrayNode members = budgets.putObject(type.getName()).put("path", path).putArray("closure");
                    closure(context, Set.of(definition), new LinkedHashMap<>(), busSources)
                            .forEach(d -> members.add(d.getBeanType().getName()));
                }
            }
            // Every bean of the closure that takes settings is built, as the first request or event would build it.
            ObjectNode failures = report.putObject("failures");
            for (BeanDefinition<?> definition : closure) {
                boolean configured = arguments(definition).stream()
                        .anyMatch(a -> a.getAnnotationMetadata().hasAnnotation(Value.class));
                if ((configured || CredentialCheck.class.isAssignableFrom(definition.getBeanType())) && definition.isSingleton()) {
                    try {
                        Object bean = context.getBean(definition);
                        if (bean instanceof CredentialCheck check) {
                            ((ObjectNode) budgets.path(definition.getBeanType().getName())).put("sourceType", check.sourceType());
                        }
                    } catch (RuntimeException e) {
                        failures.put(definition.getBeanType().getName(), rootMessage(e));
                    }
                }
            }
            ObjectNode properties = report.putObject("properties");
            for (String property : List.of("signup.sync.budget.reserve")) {
                environment.getProperty(property, String.class).ifPresent(v -> properties.put(property, v));
            }
        } finally {
            context.close();
        }
        out.println(MARKER + json.writeValueAsString(report));
        out.flush();
        System.exit(0);
    }

    private static ApplicationContext applicationContext(Object handler) throws ReflectiveOperationException {
        Method getter = handler.getClass().getMethod("getApplicationContext");
        return (ApplicationContext) getter.invoke(handler);
    }

    /** The beans {@code entries} reach through injection, entries included; {@code edges} gets each one's direct dependencies. */
    private static Set<BeanDefinition<?>> closure(ApplicationContext context, Collection<BeanDefinition<?>> entries,
                                                  Map<BeanDefinition<?>, Set<BeanDefinition<?>>> edges, Set<String> busSources) {
        Set<BeanDefinition<?>> seen = new LinkedHashSet<>();
        Deque<BeanDefinition<?>> queue = new ArrayDeque<>(entries);
        while (!queue.isEmpty()) {
            BeanDefinition<?> definition = queue.poll();
            if (!seen.add(definition)) {
                continue;
            }
            Set<BeanDefinition<?>> direct = new LinkedHashSet<>();
            for (Argument<?> argument : arguments(definition)) {
                if (argument.getAnnotationMetadata().hasAnnotation(Value.class)) {
                    continue;
                }
                Class<?> type = argument.getType();
                if (Collection.class.isAssignableFrom(type) || Optional.class.equals(type)
                        || type.getName().endsWith("Provider") || type.isArray()) {
                    Optional<Argument<?>> element = argument.getFirstTypeVariable();
                    type = type.isArray() ? type.getComponentType()
                            : element.isPresent() ? element.get().getType() : Object.class;
                }
                if (type.isPrimitive() || type.getName().startsWith("java.") || INFRASTRUCTURE.contains(type.getName())) {
                    continue;
                }
                for (BeanDefinition<?> candidate : context.getBeanDefinitions(type)) {
                    if (serves(context, candidate, busSources)) {
                        direct.add(candidate);
                    }
                }
            }
            edges.put(definition, direct);
            queue.addAll(direct);
        }
        return seen;
    }

    /** A sync source is used only where the function's bus triggers name it: the engine runs the event's source alone. */
    private static boolean serves(ApplicationContext context, BeanDefinition<?> candidate, Set<String> busSources) {
        if (!SyncSource.class.isAssignableFrom(candidate.getBeanType())) {
            return true;
        }
        try {
            return busSources.contains(((SyncSource) context.getBean(candidate)).sourceType());
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static List<Argument<?>> arguments(BeanDefinition<?> definition) {
        List<Argument<?>> arguments = new java.util.ArrayList<>(List.of(definition.getConstructor().getArguments()));
        definition.getInjectedFields().forEach(field -> arguments.add(field.asArgument()));
        definition.getInjectedMethods().forEach(method -> arguments.addAll(List.of(method.getArguments())));
        return arguments;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        Set<Throwable> seen = new TreeSet<>((a, b) -> Integer.compare(System.identityHashCode(a), System.identityHashCode(b)));
        while (root.getCause() != null && seen.add(root)) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
