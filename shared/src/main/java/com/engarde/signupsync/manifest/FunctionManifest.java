package com.engarde.signupsync.manifest;

import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One {@code functions/<name>/function.json}, and the one reader of that file: the CDK app deploys from it, the
 * functions and the local run find their routes, auth and bus sources in it ({@link FunctionManifests}), and the
 * API document is checked against it. Adding a folder with a manifest adds a Lambda, its routes and its triggers;
 * no CDK code changes. This package depends on nothing but the JDK and Jackson, so the CDK app reads it too. The
 * schema:
 *
 * <pre>
 * name            the folder's name; the jar is functions/&lt;name&gt;/target/&lt;name&gt;-lambda.jar
 * description     free text
 * handler         the Lambda handler class (API Gateway handler, or one that also takes EventBridge events)
 * memoryMb        128..10240
 * timeoutSeconds  1..900 (API Gateway answers 504 after 29 s, whatever this says)
 * database        true: runs in the VPC and gets ENGARDE_DATABASE_SECRET_ARN (the application role's secret: data
 *                 rights only) and the database security group
 * databaseOwner   true (one manifest, with database): connects as the master user that owns the schema, and also
 *                 gets ENGARDE_DATABASE_APP_SECRET_ARN to create and grant the application role (db-migrate)
 * reservedConcurrency  1..100 (default 1): the function's reserved concurrency, which is also the most connections
 *                 its instances can hold (x the pool size); the sum over every function must fit the database's
 *                 connection budget (README, "Least privilege"), or the synth fails
 * egress          true: calls hosts outside AWS (vendor APIs); in the VPC through the NAT gateway
 * busPublisher    true: may put events on the signup-sync bus ({@value SyncBus#NAME_VARIABLE})
 * secrets         names from {@link SecretName}: the platform's (service-token, encryption-key, admin-jwt) and
 *                 each declared integration's (easyappointments, zoom, ...), or "integrations" for every declared
 *                 integration's; each arrives as its ARN in an environment variable
 * settings        names of plain, non-secret environment variables (EASYAPPOINTMENTS_URL, ...); each gets the CDK
 *                 context value of the same name (-c EASYAPPOINTMENTS_URL=https://...), if the deploy gives one;
 *                 "integrations" names every declared integration's required credential field no secret carries;
 *                 the deploy warns when one is not given
 * optionalSettings the same for variables the function has a working default for (EASYAPPOINTMENTS_STATUS_OUTCOMES):
 *                 passed when the deploy gives one, no warning when it does not
 * routes          [{"method": "GET|POST|PUT|PATCH|DELETE", "path": "/a/{b}", "auth": "none|service-token|admin-jwt|webhook-signature"}]
 *                 a service-token route also names the {@link ServiceScope} a token must hold to call it
 *                 ("scope": "funnel:write|analytics:read|sync:run|usage:write"), and its manifest lists the
 *                 service-token secret (which carries the tokens); an admin-jwt route may say "role": "superuser"
 *                 (default "admin"): then designated platform admins may not call it, only superusers
 * triggers        [{"type": "bus", "source": "easyappointments", "detailType": "SyncRequested"},
 *                  {"type": "schedule"}                 daily at FUNNEL_SYNC_TIME, off when FUNNEL_SYNC_ENABLED=false
 *                  {"type": "schedule", "time": "02:15"} daily at that UTC time, always on
 *                  {"type": "custom-resource", "runWhenChanged": ["shared/src/main/resources/db/migration"]}]
 * </pre>
 *
 * Unknown fields are ignored, so a manifest may carry what only its function reads.
 */
public record FunctionManifest(String name, String description, String handler, int memoryMb, int timeoutSeconds,
                               boolean database, boolean databaseOwner, int reservedConcurrency, boolean egress,
                               boolean busPublisher, List<SecretName> secrets, List<String> settings,
                               List<String> optionalSettings, List<Route> routes,
                               List<Trigger> triggers) {

    /** A manifest's file name, in its function's folder and in its function's jar. */
    public static final String FILE_NAME = "function.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,39}");
    private static final Pattern PATH = Pattern.compile("/|(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\+?}))+");
    private static final Pattern SOURCE = Pattern.compile("[a-z][a-z0-9_]{1,39}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]{1,99}");
    /** Set by the app itself; a manifest cannot ask for them as settings. */
    private static final Set<String> RESERVED = Set.of("SIGNUP_SYNC_STAGE", "SIGNUP_SYNC_METRICS_NAMESPACE",
            SyncBus.NAME_VARIABLE, "SIGNUP_SYNC_CORS_ORIGINS", SecretName.DATABASE_ARN_VARIABLE,
            SecretName.DATABASE_APP_ARN_VARIABLE, "ENGARDE_DATABASE_URL");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> ROLES = Set.of("admin", "superuser");

    /**
     * One route of the function named {@code function}. {@code scope} is set on service-token routes only (the one
     * a token must hold to call it); {@code superuserOnly} is {@code "role": "superuser"} on an admin-jwt route.
     */
    public record Route(String function, String method, String path, RouteAuth auth, boolean superuserOnly,
                        ServiceScope scope) {

        /**
         * Whether a request is for this route: the same method and the path's segments, a variable part matching
         * any one non-empty segment; one trailing slash is ignored.
         */
        public boolean matches(String requestMethod, String requestPath) {
            if (!method.equalsIgnoreCase(requestMethod) || requestPath == null || !requestPath.startsWith("/")) {
                return false;
            }
            String[] template = path.equals("/") ? new String[] {""} : path.split("/", -1);
            String asked = requestPath.length() > 1 && requestPath.endsWith("/")
                    ? requestPath.substring(0, requestPath.length() - 1) : requestPath;
            String[] parts = asked.equals("/") ? new String[] {""} : asked.split("/", -1);
            if (parts.length != template.length) {
                return false;
            }
            for (int i = 0; i < parts.length; i++) {
                boolean variable = template[i].startsWith("{");
                if (variable ? parts[i].isEmpty() : !template[i].equals(parts[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    public sealed interface Trigger permits BusTrigger, ScheduleTrigger, CustomResourceTrigger {
    }

    /** A rule on the signup-sync bus: events with detail-type {@code detailType} and detail.source_type {@code source}. */
    public record BusTrigger(String source, String detailType) implements Trigger {
    }

    /** Daily; at {@code time} (UTC) when given, else at FUNNEL_SYNC_TIME and only while FUNNEL_SYNC_ENABLED. */
    public record ScheduleTrigger(Optional<LocalTime> time) implements Trigger {
    }

    /** Run at deploy time, on create and whenever the content under {@code runWhenChanged} changes. */
    public record CustomResourceTrigger(List<String> runWhenChanged) implements Trigger {
    }

    /** True when something invokes the function asynchronously (bus rule, schedule): it then has a dead-letter queue. */
    public boolean invokedAsynchronously() {
        return triggers.stream().anyMatch(t -> t instanceof BusTrigger || t instanceof ScheduleTrigger);
    }

    public <T extends Trigger> List<T> triggers(Class<T> type) {
        return triggers.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Every manifest under {@code functionsDir} (one per folder), checked one by one and against each other. */
    public static List<FunctionManifest> readAll(Path functionsDir) {
        List<FunctionManifest> manifests = new ArrayList<>();
        try (Stream<Path> folders = Files.list(functionsDir)) {
            for (Path folder : folders.sorted().toList()) {
                Path file = folder.resolve(FILE_NAME);
                if (Files.isRegularFile(file)) {
                    manifests.add(read(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + functionsDir, e);
        }
        checkTogether(manifests);
        return List.copyOf(manifests);
    }

    /** The manifest in {@code file}, whose folder must carry the function's name. */
    public static FunctionManifest read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), file.getParent().getFileName().toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * The manifest read from {@code in}; {@code where} names it in messages (a path, or a resource in a jar) and
     * {@code folder} is the name of the folder it is in, which must be the function's name.
     */
    public static FunctionManifest read(String where, String folder, InputStream in) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            require(json != null && json.isObject(), "a manifest is a JSON object");
            FunctionManifest manifest = parse(json);
            require(manifest.name().equals(folder), "name '" + manifest.name() + "' must equal its folder's name '" + folder + "'");
            return manifest;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    static FunctionManifest parse(JsonNode json) {
        String name = text(json, "name");
        require(NAME.matcher(name).matches(), "name must match " + NAME);
        String handler = text(json, "handler");
        int memory = json.path("memoryMb").asInt(-1);
        require(memory >= 128 && memory <= 10240, "memoryMb must be 128..10240");
        int timeout = json.path("timeoutSeconds").asInt(-1);
        require(timeout >= 1 && timeout <= 900, "timeoutSeconds must be 1..900");
        int reserved = json.path("reservedConcurrency").asInt(1);
        require(reserved >= 1 && reserved <= 100, "reservedConcurrency must be 1..100");
        boolean database = json.path("database").asBoolean(false);
        boolean owner = json.path("databaseOwner").asBoolean(false);
        require(!owner || database, "databaseOwner needs \"database\": true");

        Set<SecretName> secrets = new LinkedHashSet<>();
        for (JsonNode secret : json.path("secrets")) {
            if (secret.asText().equals(SecretName.INTEGRATIONS)) {
                secrets.addAll(SecretName.integrations());
                continue;
            }
            secrets.add(SecretName.fromManifest(secret.asText()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown secret '" + secret.asText() + "'; known: " + SecretName.all().stream().map(SecretName::manifestName).toList()
                            + ", \"" + SecretName.INTEGRATIONS + "\" (all of the integrations') (the database is \"database\": true)")));
        }

        List<String> settings = new ArrayList<>();
        for (JsonNode setting : json.path("settings")) {
            String variable = setting.asText();
            if (variable.equals(SecretName.INTEGRATIONS)) {
                settings.addAll(integrationSettings().stream().filter(v -> !settings.contains(v)).toList());
                continue;
            }
            requirePlainSetting(variable);
            settings.add(variable);
        }
        List<String> optionalSettings = new ArrayList<>();
        for (JsonNode setting : json.path("optionalSettings")) {
            String variable = setting.asText();
            requirePlainSetting(variable);
            require(!settings.contains(variable) && !optionalSettings.contains(variable),
                    variable + " is listed twice (settings, optionalSettings)");
            optionalSettings.add(variable);
        }

        List<Route> routes = new ArrayList<>();
        for (JsonNode route : json.path("routes")) {
            routes.add(route(name, route, List.copyOf(secrets)));
        }

        List<Trigger> triggers = new ArrayList<>();
        for (JsonNode trigger : json.path("triggers")) {
            String type = text(trigger, "type");
            switch (type) {
                case "bus" -> {
                    String source = text(trigger, "source");
                    require(SOURCE.matcher(source).matches(), "bus trigger source must match " + SOURCE);
                    triggers.add(new BusTrigger(source, trigger.path("detailType").asText(SyncBus.SYNC_REQUESTED)));
                }
                case "schedule" -> triggers.add(new ScheduleTrigger(trigger.hasNonNull("time")
                        ? Optional.of(DailySchedule.parseTime("a schedule trigger's time", trigger.get("time").asText()))
                        : Optional.empty()));
                case "custom-resource" -> {
                    List<String> paths = new ArrayList<>();
                    trigger.path("runWhenChanged").forEach(p -> paths.add(p.asText()));
                    triggers.add(new CustomResourceTrigger(List.copyOf(paths)));
                }
                default -> throw new IllegalArgumentException("unknown trigger type '" + type + "'; use bus, schedule or custom-resource");
            }
        }
        require(json.path("description").asText("").length() <= 256, "description: at most 256 characters (Lambda's limit)");
        require(triggers(triggers, ScheduleTrigger.class) <= 1, "at most one schedule trigger");
        require(triggers(triggers, CustomResourceTrigger.class) <= 1, "at most one custom-resource trigger");

        return new FunctionManifest(name, json.path("description").asText(""), handler, memory, timeout,
                database, owner, reserved, json.path("egress").asBoolean(false),
                json.path("busPublisher").asBoolean(false), List.copyOf(secrets), List.copyOf(settings), List.copyOf(optionalSettings), List.copyOf(routes),
                List.copyOf(triggers));
    }

    private static Route route(String function, JsonNode route, List<SecretName> secrets) {
        String method = text(route, "method").toUpperCase(Locale.ROOT);
        String path = text(route, "path");
        require(METHODS.contains(method), "route method must be one of " + METHODS + ": " + method);
        require(PATH.matcher(path).matches(), "route path must look like /a/{b}: " + path);
        RouteAuth auth = RouteAuth.fromManifest(text(route, "auth")).orElseThrow(() -> new IllegalArgumentException(
                "route auth must be one of " + RouteAuth.names() + ": " + route.get("auth").asText()));
        String where = method + " " + path;
        // A scope or role where it means nothing is a typo that must not open or close a route unnoticed.
        ServiceScope scope = null;
        if (auth == RouteAuth.SERVICE_TOKEN) {
            scope = ServiceScope.fromName(route.path("scope").asText()).orElseThrow(() -> new IllegalArgumentException(
                    where + " is a service-token route and needs \"scope\": one of " + ServiceScope.names()));
            require(secrets.contains(SecretName.SERVICE_TOKEN), where
                    + " is a service-token route: list \"service-token\" under \"secrets\" so the function can read the tokens");
        } else {
            require(!route.has("scope"), where + " has a scope, but only service-token routes take one");
        }
        String role = route.path("role").asText("admin");
        require(ROLES.contains(role), where + " has the unknown role '" + role + "'; use admin or superuser");
        require(!route.has("role") || auth == RouteAuth.ADMIN_JWT, where + " has a role, but only admin-jwt routes take one");
        return new Route(function, method, path, auth, role.equals("superuser"), scope);
    }

    /** What only shows across manifests: a route or a bus source claimed twice, two owners of the schema. */
    static void checkTogether(List<FunctionManifest> manifests) {
        List<String> owners = manifests.stream().filter(FunctionManifest::databaseOwner).map(FunctionManifest::name).toList();
        require(owners.size() <= 1, "only one function may own the database schema: " + owners);
        Map<String, String> routes = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        for (FunctionManifest manifest : manifests) {
            for (Route route : manifest.routes()) {
                // API Gateway sees /a/{x} and /a/{y} as one resource.
                String key = route.method() + " " + route.path().replaceAll("\\{[^}]+}", "{}");
                String other = routes.putIfAbsent(key, manifest.name());
                require(other == null, route.method() + " " + route.path() + " is routed by both " + other + " and " + manifest.name());
            }
            for (BusTrigger bus : manifest.triggers(BusTrigger.class)) {
                String key = bus.detailType() + "/" + bus.source();
                String other = sources.putIfAbsent(key, manifest.name());
                require(other == null, "bus source " + key + " is claimed by both " + other + " and " + manifest.name());
            }
        }
    }

    /**
     * A manifest's {@code "settings": ["integrations"]}: every declared integration's required credential field
     * that no secret carries (a vendor instance's URL), which a verify from the environment cannot go without.
     */
    private static List<String> integrationSettings() {
        return Integrations.declared().all().stream().flatMap(i -> i.credentials().stream())
                .filter(f -> f.required() && !f.inSecret()).map(Integration.CredentialField::variable).toList();
    }

    private static long triggers(List<Trigger> triggers, Class<? extends Trigger> type) {
        return triggers.stream().filter(type::isInstance).count();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        require(value != null && value.isTextual() && !value.asText().isBlank(), "\"" + field + "\" is required");
        return value.asText();
    }

    /** A setting names a plain environment variable: not a secret's, not one the app sets itself. */
    private static void requirePlainSetting(String variable) {
        require(VARIABLE.matcher(variable).matches(), "a setting is an environment variable name: " + variable);
        require(SecretName.carrying(variable).isEmpty(), variable + " is a secret: list \""
                + SecretName.carrying(variable).map(SecretName::manifestName).orElse("") + "\" under \"secrets\" instead");
        require(!RESERVED.contains(variable) && !variable.endsWith("_SECRET_ARN"), variable + " is set by the app itself");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
