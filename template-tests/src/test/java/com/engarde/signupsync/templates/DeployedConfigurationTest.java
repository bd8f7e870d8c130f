package com.engarde.signupsync.templates;

import com.engarde.signupsync.bus.LambdaHandler;
import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What AWS runs is what this test runs. For every function of this repository it takes the environment variables
 * the synthesized template gives the function, starts the function's handler in a JVM of its own with exactly that
 * environment (plus what the Lambda runtime itself sets, and where Secrets Manager is: a local stand-in that holds
 * a well-formed value for every secret the template creates), on the function's own classpath, and checks that
 * every setting the function will use works in AWS: vendor URLs are https on the vendor's documented host, every
 * secret it reads is granted to it, every timeout fits the budget of the path that uses it. Nothing else is set:
 * a default that only other tests override is exercised here.
 */
class DeployedConfigurationTest {

    /** The vendors' documented API hosts (their API references; ../shared/sources/*.md), by setting prefix. */
    static final Map<String, Set<String>> DOCUMENTED_HOSTS = Map.of(
            "zoom", Set.of("api.zoom.us", "zoom.us"),
            "eventbrite", Set.of("www.eventbriteapi.com"),
            "brevo", Set.of("api.brevo.com"),
            "anthropic", Set.of("api.anthropic.com"));

    /** API Gateway answers 504 after 29 s, whatever the function's own timeout. */
    static final Duration API_GATEWAY_LIMIT = Duration.ofSeconds(29);

    /** The path whose budget a duration setting must fit. */
    enum Timing {
        /** A vendor call of a credential check: within the verify budget. */
        VERIFY_CALL,
        /** The verify budget itself: within the verify route's limit. */
        VERIFY_BUDGET,
        /** A vendor call of a sync: within the sync's budget, and within the verify budget where a check uses it. */
        VENDOR_CALL,
        /** A vendor call made while a route answers (the insights' narrative), retries included: within the route's limit. */
        ROUTE_CALL,
        /** Not a wait a path must fit (an interval, a window, a cache lifetime): stated, not checked. */
        NOT_A_WAIT
    }

    /** Every duration setting a function may use, and the path it must fit. A new one fails the test until placed here. */
    static final Map<String, Timing> TIMINGS = Map.ofEntries(
            Map.entry("signup.sync.verify.connect-timeout", Timing.VERIFY_CALL),
            Map.entry("signup.sync.verify.request-timeout", Timing.VERIFY_CALL),
            Map.entry("signup.sync.verify.budget", Timing.VERIFY_BUDGET),
            Map.entry("easyappointments.connect-timeout", Timing.VENDOR_CALL),
            Map.entry("easyappointments.request-timeout", Timing.VENDOR_CALL),
            Map.entry("zoom.connect-timeout", Timing.VENDOR_CALL),
            Map.entry("zoom.request-timeout", Timing.VENDOR_CALL),
            Map.entry("eventbrite.connect-timeout", Timing.VENDOR_CALL),
            Map.entry("eventbrite.request-timeout", Timing.VENDOR_CALL),
            Map.entry("brevo.connect-timeout", Timing.VENDOR_CALL),
            Map.entry("brevo.request-timeout", Timing.VENDOR_CALL),
            Map.entry("anthropic.connect-timeout", Timing.ROUTE_CALL),
            Map.entry("anthropic.request-timeout", Timing.ROUTE_CALL),
            Map.entry("anthropic.budget", Timing.ROUTE_CALL),
            Map.entry("easyappointments.full-pass-every", Timing.NOT_A_WAIT),
            Map.entry("eventbrite.overlap", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.secrets.ttl", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.stale-after", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.http.base-delay", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.http.max-delay", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.http.max-retry-after", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.admin.jwt.leeway", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.admin.jwt.jwks-min-refresh", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.in-process.time-budget", Timing.NOT_A_WAIT),
            Map.entry("engarde.database.statement-timeout", Timing.NOT_A_WAIT),
            Map.entry("engarde.database.lock-timeout", Timing.NOT_A_WAIT),
            Map.entry("engarde.database.idle-in-transaction-timeout", Timing.NOT_A_WAIT),
            Map.entry("engarde.database.socket-timeout", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.admin.jwt.max-lifetime", Timing.NOT_A_WAIT),
            Map.entry("signup.sync.secret-rotation-window", Timing.NOT_A_WAIT));

    /**
     * Every bean that reads a secret (through SecretValues or SecretStore) and the secret it reads; a new reader fails
     * the test until it is placed here. Sources: the secret named after each source whose credentials the function
     * reads (its bus triggers' sources and its credential checks'). Database: checked by EdgesTest.
     */
    static final Map<String, String> SECRET_READERS = Map.of(
            "com.engarde.signupsync.crypto.Sealer", SecretName.ENCRYPTION_KEY.manifestName(),
            "com.engarde.signupsync.auth.ServiceTokens", SecretName.SERVICE_TOKEN.manifestName() + " (service-token routes)",
            "com.engarde.signupsync.admin.AdminTokens", SecretName.ADMIN_JWT.manifestName() + " (admin-jwt routes)",
            "com.engarde.signupsync.credentials.EnvironmentCredentialStore", "sources",
            "com.engarde.signupsync.admin.SourceAdministration", "none: plain settings only",
            "com.engarde.signupsync.config.SecretValues", "none: the way every reader above reads",
            "com.engarde.signupsync.persistence.DataSourceFactory", "database",
            "com.engarde.signupsync.persistence.SecretDataSource", "database",
            "com.engarde.signupsync.persistence.ConnectionPool", "database",
            "com.engarde.signupsync.functions.dbmigrate.MigrationHandler", "database");

    private static final String REGION = "eu-west-1";
    private static final String ACCOUNT = "111122223333";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static SecretsManagerStandIn secretsManager;
    private static Synth.Result synth;
    private static final Map<String, JsonNode> REPORTS = new TreeMap<>();
    private static final Map<String, Map<String, String>> ENVIRONMENTS = new TreeMap<>();
    private static final Map<String, String> NOT_STARTED = new TreeMap<>();

    @BeforeAll
    static void probeEveryFunction() throws Exception {
        synth = Synth.real();
        secretsManager = new SecretsManagerStandIn();
        synth.resources("AWS::SecretsManager::Secret").forEach((id, secret) -> secretsManager.put(arn(id), wellFormed(id, secret)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<String, Future<JsonNode>> running = new TreeMap<>();
            for (String name : synth.manifests().keySet()) {
                Map<String, String> environment = environment(name);
                ENVIRONMENTS.put(name, environment);
                running.put(name, pool.submit(() -> probe(name, environment)));
            }
            for (Map.Entry<String, Future<JsonNode>> result : running.entrySet()) {
                try {
                    REPORTS.put(result.getKey(), result.getValue().get(5, TimeUnit.MINUTES));
                } catch (java.util.concurrent.ExecutionException e) {
                    NOT_STARTED.put(result.getKey(), e.getCause().getMessage());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @AfterAll
    static void stop() {
        if (secretsManager != null) {
            secretsManager.close();
        }
    }

    @Test
    void everyFunctionFolderIsStartedWithItsDeployedEnvironment() throws IOException {
        long folders;
        try (Stream<Path> list = Files.list(Synth.repoRoot().resolve("functions"))) {
            folders = list.filter(p -> Files.isRegularFile(p.resolve("function.json"))).count();
        }
        assertThat(NOT_STARTED).as("functions that do not start with their deployed environment").isEmpty();
        assertThat(REPORTS).hasSize((int) folders).hasSizeGreaterThan(10);
        REPORTS.forEach((name, report) -> {
            assertThat(report.path("beans").size()).as(name + ": beans used").isPositive();
            assertThat(report.path("failures").properties()).as(name + ": beans that do not start with the deployed settings")
                    .isEmpty();
            report.path("routes").forEach(route ->
                    assertThat(route.path("controller").asText()).as(name + " " + route.path("route").asText() + " is served").isNotEmpty());
        });
    }

    @Test
    void everyVendorUrlIsHttpsOnTheVendorsDocumentedHost() {
        List<String> checked = new ArrayList<>();
        REPORTS.forEach((name, report) -> settings(report).forEach(setting -> {
            String property = property(setting);
            String value = setting.path("value").asText();
            if (!property.endsWith(".url") || value.isBlank()) {
                return;
            }
            String vendor = property.substring(0, property.indexOf('.'));
            assertThat(DOCUMENTED_HOSTS).as(name + ": " + property + " names a vendor with a documented host").containsKey(vendor);
            URI uri = URI.create(value);
            assertThat(uri.getScheme()).as(name + ": " + property + " = " + value).isEqualTo("https");
            assertThat(DOCUMENTED_HOSTS.get(vendor)).as(name + ": " + property + " = " + value).contains(uri.getHost());
            checked.add(name + " " + property);
        }));
        // zoom api and oauth, eventbrite, brevo at least: in admin-sources (verify) and the two syncs.
        assertThat(checked).contains("sync-zoom zoom.api.url", "sync-zoom zoom.oauth.url", "sync-eventbrite eventbrite.api.url",
                "admin-sources zoom.api.url", "admin-sources brevo.api.url");
    }

    /**
     * What an instance of a vendor is like (its status texts, its timezone, its page size, its pace) is a vendor
     * setting a deployer must be able to give the function that reads it: each is a manifest setting or optional
     * setting, or a credential field its secret carries. The vendor base URLs an integration declares are for stubs and keep AWS's
     * default (the deployed value is what {@link #everyFunctionFolderIsStartedWithItsDeployedEnvironment} runs).
     */
    @Test
    void everyVendorSettingAFunctionReadsCanBeGivenByTheDeploy() {
        Map<String, Set<String>> undeployable = new TreeMap<>();
        int vendorSettings = 0;
        for (Map.Entry<String, JsonNode> entry : REPORTS.entrySet()) {
            String name = entry.getKey();
            JsonNode manifest = synth.manifests().get(name);
            Set<String> deployable = new TreeSet<>();
            for (String list : List.of("settings", "optionalSettings")) {
                manifest.path(list).forEach(v -> deployable.add(normalized(v.asText())));
            }
            for (JsonNode setting : settings(entry.getValue())) {
                String property = property(setting);
                for (Integration integration : Integrations.declared().all()) {
                    String normalized = normalized(property);
                    boolean vendor = normalized.startsWith(normalized(integration.variablePrefix()));
                    boolean stubUrl = integration.settings().stream().anyMatch(v -> normalized(v).equals(normalized));
                    boolean inSecret = integration.credentials().stream()
                            .anyMatch(f -> f.inSecret() && normalized(f.variable()).equals(normalized));
                    if (vendor && !stubUrl && !inSecret) {
                        vendorSettings++;
                        if (!deployable.contains(normalized)) {
                            undeployable.computeIfAbsent(name, k -> new TreeSet<>()).add(property);
                        }
                    }
                }
            }
        }
        assertThat(vendorSettings).as("vendor settings read by the deployed functions").isPositive();
        assertThat(undeployable).as("vendor settings a function reads that no deploy can give it: list them under"
                + " \"optionalSettings\" (or \"settings\" when they have no working default) in its function.json").isEmpty();
    }

    /** A variable or property name as Micronaut matches them: EASYAPPOINTMENTS_PAGE_SIZE is easyappointments.page-size. */
    private static String normalized(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]", ".");
    }

    @Test
    void everySecretAFunctionReadsIsGrantedToIt() {
        int required = 0;
        for (Map.Entry<String, JsonNode> entry : REPORTS.entrySet()) {
            String name = entry.getKey();
            JsonNode report = entry.getValue();
            Set<String> granted = granted(name);
            Set<String> needed = new TreeSet<>();
            report.path("beans").properties().forEach(bean -> {
                boolean reads = false;
                for (JsonNode dependency : bean.getValue().path("dependsOn")) {
                    reads |= dependency.asText().equals("com.engarde.signupsync.config.SecretValues")
                            || dependency.asText().equals("com.engarde.signupsync.config.SecretStore");
                }
                if (!reads) {
                    return;
                }
                String secret = SECRET_READERS.get(bean.getKey());
                assertThat(secret).as(name + ": " + bean.getKey() + " reads secrets: say which in SECRET_READERS").isNotNull();
                if (secret.equals("sources")) {
                    sourcesRead(name, report).stream().map(SecretName::fromManifest).flatMap(Optional::stream)
                            .forEach(s -> needed.add(s.manifestName()));
                } else if (secret.startsWith(SecretName.ADMIN_JWT.manifestName() + " ")) {
                    // The route filter checks admin tokens on admin routes only; a JWKS URL is the other way to check them.
                    if (hasRoute(name, "admin-jwt") && !ENVIRONMENTS.get(name).containsKey("ADMIN_JWT_JWKS_URL")) {
                        needed.add(SecretName.ADMIN_JWT.manifestName());
                    }
                } else if (secret.startsWith(SecretName.SERVICE_TOKEN.manifestName() + " ")) {
                    if (hasRoute(name, "service-token")) {
                        needed.add(SecretName.SERVICE_TOKEN.manifestName());
                    }
                } else if (SecretName.fromManifest(secret).isPresent()) {
                    needed.add(secret);
                }
            });
            required += needed.size();
            assertThat(granted).as(name + ": the secrets it reads are granted to it").containsAll(needed);
        }
        assertThat(required).as("secrets read over all functions").isGreaterThan(REPORTS.size());
    }

    @Test
    void everyTimeoutFitsTheBudgetOfThePathThatUsesIt() {
        int fitted = 0;
        int withBudgets = 0;
        for (Map.Entry<String, JsonNode> entry : REPORTS.entrySet()) {
            String name = entry.getKey();
            JsonNode report = entry.getValue();
            Duration lambda = Duration.ofSeconds(synth.resource(synth.functionId(name)).path("Properties").path("Timeout").asLong());
            boolean routed = !synth.manifests().get(name).path("routes").isEmpty();
            Duration routeLimit = lambda.compareTo(API_GATEWAY_LIMIT) < 0 ? lambda : API_GATEWAY_LIMIT;
            Map<String, Duration> durations = new HashMap<>();
            Map<String, Set<String>> owners = new HashMap<>();
            report.path("beans").properties().forEach(bean -> settings(bean.getValue()).forEach(setting -> {
                if (!setting.path("type").asText().equals("Duration")) {
                    return;
                }
                String property = property(setting);
                assertThat(TIMINGS).as(name + ": " + property + " (" + bean.getKey() + "): which path's budget must it fit?")
                        .containsKey(property);
                if (setting.has("millis")) {
                    durations.put(property, Duration.ofMillis(setting.path("millis").asLong()));
                    owners.computeIfAbsent(bean.getKey(), k -> new HashSet<>()).add(property);
                }
            }));
            for (Map.Entry<String, Duration> duration : durations.entrySet()) {
                if (TIMINGS.get(duration.getKey()) == Timing.ROUTE_CALL && routed) {
                    assertThat(duration.getValue()).as(name + ": " + duration.getKey() + " within the route's limit " + routeLimit)
                            .isLessThan(routeLimit);
                    fitted++;
                }
            }
            Duration verifyBudget = durations.get("signup.sync.verify.budget");
            if (verifyBudget != null && routed) {
                assertThat(verifyBudget).as(name + ": the verify budget within the route's limit " + routeLimit)
                        .isLessThan(routeLimit);
                fitted++;
            }
            if ((verifyBudget != null && routed) || !report.path("budgeted").isEmpty()) {
                withBudgets++;
            }
            Duration reserve = report.path("properties").has("signup.sync.budget.reserve")
                    ? Duration.parse("PT" + report.path("properties").path("signup.sync.budget.reserve").asText().toUpperCase())
                    : LambdaHandler.DEFAULT_BUDGET_RESERVE;
            for (Map.Entry<String, JsonNode> budgeted : report.path("budgeted").properties()) {
                String path = budgeted.getValue().path("path").asText();
                Duration budget;
                if (path.equals("verify")) {
                    assertThat(verifyBudget).as(name + ": a credential check runs within the verify budget").isNotNull();
                    budget = verifyBudget;
                } else {
                    // The sync's budget: its Lambda timeout less the reserve (a path with no vendor call has nothing to fit).
                    budget = lambda.minus(reserve);
                }
                for (JsonNode member : budgeted.getValue().path("closure")) {
                    for (String property : owners.getOrDefault(member.asText(), Set.of())) {
                        Timing timing = TIMINGS.get(property);
                        if (timing == Timing.VENDOR_CALL || timing == Timing.VERIFY_CALL) {
                            assertThat(durations.get(property)).as("%s: %s, used by %s on the %s path, within its budget %s",
                                    name, property, budgeted.getKey(), path, budget).isLessThanOrEqualTo(budget);
                            fitted++;
                        }
                    }
                }
            }
        }
        // Not vacuous: at least one fit per function with a budget (an admin function reading only the database has none).
        assertThat(withBudgets).as("functions with a budget").isPositive();
        assertThat(fitted).as("timeouts fitted to a budget over all functions").isGreaterThanOrEqualTo(withBudgets);
    }

    // --- what the deployed function is given

    private static String arn(String logicalId) {
        return "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + logicalId;
    }

    /** The template's variables with references resolved as CloudFormation would, and what the Lambda runtime adds. */
    private static Map<String, String> environment(String name) {
        JsonNode function = synth.resource(synth.functionId(name)).path("Properties");
        Map<String, String> environment = new LinkedHashMap<>();
        function.path("Environment").path("Variables").properties().forEach(variable ->
                environment.put(variable.getKey(), resolve(variable.getValue())));
        environment.put("AWS_LAMBDA_FUNCTION_NAME", function.path("FunctionName").asText());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", function.path("MemorySize").asText());
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        environment.put("AWS_REGION", REGION);
        environment.put("AWS_DEFAULT_REGION", REGION);
        environment.put("TZ", ":UTC");
        // The role's credentials, as Lambda provides them; the stand-in does not check them.
        environment.put("AWS_ACCESS_KEY_ID", "ASIASTANDIN");
        environment.put("AWS_SECRET_ACCESS_KEY", "stand-in");
        environment.put("AWS_SESSION_TOKEN", "stand-in");
        // The one addition: where Secrets Manager is.
        environment.put("SIGNUP_SYNC_SECRETS_ENDPOINT", secretsManager.endpoint());
        return environment;
    }

    private static String resolve(JsonNode value) {
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        if (value.has("Ref")) {
            String id = value.path("Ref").asText();
            JsonNode resource = synth.resource(id);
            return switch (resource.path("Type").asText()) {
                case "AWS::SecretsManager::Secret" -> arn(id);
                case "AWS::SecretsManager::SecretTargetAttachment" -> arn(resource.path("Properties").path("SecretId").path("Ref").asText());
                case "AWS::Events::EventBus" -> resource.path("Properties").path("Name").asText();
                default -> throw new AssertionError("a variable refers to a " + resource.path("Type").asText() + ": " + value);
            };
        }
        throw new AssertionError("a variable the test cannot resolve as CloudFormation would: " + value);
    }

    /** A value of the shape each secret has once the operator filled it in (README, Deploy). */
    private static String wellFormed(String logicalId, JsonNode secret) {
        JsonNode generate = secret.path("Properties").path("GenerateSecretString");
        String template = generate.path("SecretStringTemplate").asText("");
        if (template.contains("\"username\"")) {
            String username;
            try {
                username = Synth.JSON.readTree(template).path("username").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Nothing listens on port 1: a function that connects at start-up fails at once, and says so.
            return "{\"username\":\"" + username + "\",\"password\":\"" + random(32) + "\",\"host\":\"127.0.0.1\","
                    + "\"port\":1,\"dbname\":\"signupsync\",\"engine\":\"postgres\"}";
        }
        String secretName = secret.path("Properties").path("Name").asText();
        SecretName name = SecretName.all().stream().filter(s -> secretName.endsWith("/" + s.manifestName()))
                .findFirst().orElseThrow(() -> new AssertionError("which secret is " + logicalId + " (" + secretName + ")?"));
        Map<String, String> values = new LinkedHashMap<>();
        for (String variable : name.variables()) {
            if (!variable.endsWith("_PREVIOUS")) {
                values.put(variable, variable.equals("SIGNUP_SYNC_ENCRYPTION_KEY")
                        ? Base64.getEncoder().encodeToString(RANDOM.generateSeed(32)) : random(40));
            }
        }
        return Synth.JSON.valueToTree(values).toString();
    }

    private static String random(int length) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The manifest names of the secrets whose ARN the function's environment carries (LeastPrivilegeTest: and only those). */
    private static Set<String> granted(String name) {
        Set<String> granted = new TreeSet<>();
        for (SecretName secret : SecretName.all()) {
            if (ENVIRONMENTS.get(name).containsKey(secret.arnVariable())) {
                granted.add(secret.manifestName());
            }
        }
        return granted;
    }

    private static boolean hasRoute(String name, String auth) {
        boolean found = false;
        for (JsonNode route : synth.manifests().get(name).path("routes")) {
            found |= route.path("auth").asText().equals(auth);
        }
        return found;
    }

    private static Set<String> sourcesRead(String name, JsonNode report) {
        Set<String> sources = new TreeSet<>();
        synth.manifests().get(name).path("triggers").forEach(t -> {
            if (t.path("type").asText().equals("bus")) {
                sources.add(t.path("source").asText());
            }
        });
        report.path("budgeted").forEach(b -> {
            if (b.has("sourceType")) {
                sources.add(b.path("sourceType").asText());
            }
        });
        return sources;
    }

    private static List<JsonNode> settings(JsonNode reportOrBean) {
        List<JsonNode> settings = new ArrayList<>();
        if (reportOrBean.has("beans")) {
            reportOrBean.path("beans").forEach(bean -> bean.path("settings").forEach(settings::add));
        } else {
            reportOrBean.path("settings").forEach(settings::add);
        }
        return settings;
    }

    private static String property(JsonNode setting) {
        String expression = setting.path("expression").asText();
        String inner = expression.substring(expression.indexOf("${") + 2);
        int end = inner.length();
        for (char stop : new char[] {':', '}'}) {
            int at = inner.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return inner.substring(0, end);
    }

    // --- the function's own JVM

    private static JsonNode probe(String name, Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Lambda's Java 17 runtime collects with the serial collector; JAVA_TOOL_OPTIONS comes with the environment.
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(classpath(name));
        command.add(DeployedFunctionProbe.class.getName());
        command.add(synth.resource(synth.functionId(name)).path("Properties").path("Handler").asText());
        List<String> triggers = new ArrayList<>(List.of("none"));
        synth.manifests().get(name).path("triggers").forEach(t -> triggers.add(t.path("type").asText()
                + (t.has("source") ? ":" + t.path("source").asText() : "")));
        command.add(String.join(",", triggers));
        synth.manifests().get(name).path("routes").forEach(r -> command.add(r.path("method").asText() + " " + r.path("path").asText()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), "probe-" + name + "-", ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(name + ": the function did not start within 4 minutes; see " + log);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (String line : lines) {
            if (line.startsWith(DeployedFunctionProbe.MARKER)) {
                return Synth.JSON.readTree(line.substring(DeployedFunctionProbe.MARKER.length()));
            }
        }
        throw new AssertionError(name + ": the function did not start with its deployed environment (exit "
                + process.exitValue() + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }

    /**
     * This test's classpath less every other function's module and the CDK app: the function's own classes, shared
     * and the libraries the functions use, as in its Lambda jar (which may carry fewer libraries, never more code of
     * ours).
     */
    private static String classpath(String name) {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            Optional<String> function = functionOf(path);
            boolean cdk = entry.contains("awscdk") || entry.contains("jsii") || entry.contains("cdknag")
                    || entry.contains("infra-cdk") || entry.contains(File.separator + "constructs");
            if ((function.isEmpty() || function.get().equals(name)) && !cdk) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    /** The function a classpath entry is the module of: the manifest it carries under META-INF/signup-sync/functions. */
    private static Optional<String> functionOf(Path entry) {
        if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry.toFile())) {
                return jar.stream().map(java.util.jar.JarEntry::getName)
                        .filter(n -> n.startsWith("META-INF/signup-sync/functions/") && n.endsWith("/function.json"))
                        .map(n -> n.split("/")[3]).findFirst();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path manifests = entry.resolve("META-INF").resolve("signup-sync").resolve("functions");
        if (!Files.isDirectory(manifests)) {
            return Optional.empty();
        }
        try (Stream<Path> list = Files.list(manifests)) {
            return list.map(p -> p.getFileName().toString()).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
