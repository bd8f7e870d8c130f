package com.engarde.signupsync.infra;

import com.engarde.signupsync.manifest.DailySchedule;
import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.RouteAuth;
import software.constructs.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The deploy's choices, from CDK context ({@code -c name=value} or cdk.json). FUNNEL_SYNC_TIME and
 * FUNNEL_SYNC_ENABLED may also come from the environment variables of the same names, as they do for a local
 * run; context wins.
 *
 * @param stage                    {@code stage}: dev (default) or prod
 * @param repoRoot                 {@code repoRoot}: where functions/ is; default the working directory, which is the
 *                                 repository root when the CDK CLI runs cdk.json from there
 * @param syncTime                 {@code FUNNEL_SYNC_TIME}: HH:MM UTC of the daily sync, default 18:30
 * @param syncEnabled              {@code FUNNEL_SYNC_ENABLED}: false disables the schedule (and the 26-hour alarm)
 * @param alarmEmail               {@code alarmEmail}: subscribed to the alarm topic when set
 * @param corsOrigins              {@code corsOrigins}: comma-separated browser origins of the admin frontend;
 *                                 empty means no CORS at all
 * @param apiGatewayAccountRole    {@code apiGatewayAccountRole}: false when the account already has API Gateway's
 *                                 CloudWatch role set (it is one per account and region)
 * @param functionSettings         every context value named like an environment variable (EASYAPPOINTMENTS_URL):
 *                                 what a manifest's "settings" draw from. Never read from the deployer's environment,
 *                                 where a local run's stub URLs live.
 */
public record AppSettings(Stage stage, Path repoRoot, LocalTime syncTime, boolean syncEnabled, Optional<String> alarmEmail,
                          List<String> corsOrigins, boolean apiGatewayAccountRole, Map<String, String> functionSettings) {

    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Z][A-Z0-9_]+");

    public static AppSettings from(Node context) {
        return from(context, System::getenv);
    }

    static AppSettings from(Node context, Function<String, String> environment) {
        Function<String, Optional<String>> value = key -> Optional.ofNullable(context.tryGetContext(key))
                .map(Object::toString).map(String::strip).filter(s -> !s.isEmpty());
        Function<String, Optional<String>> valueOrEnv = key -> value.apply(key)
                .or(() -> Optional.ofNullable(environment.apply(key)).map(String::strip).filter(s -> !s.isEmpty()));

        Path repoRoot = value.apply("repoRoot").map(Path::of).orElse(Path.of("")).toAbsolutePath().normalize();
        if (!Files.isDirectory(repoRoot.resolve("functions"))) {
            throw new IllegalArgumentException("no functions/ folder in " + repoRoot
                    + ": run the CDK CLI from the repository root, or pass -c repoRoot=<path>");
        }
        return new AppSettings(
                Stage.of(value.apply("stage").orElse("dev")),
                repoRoot,
                valueOrEnv.apply(DailySchedule.TIME_VARIABLE).map(t -> DailySchedule.parseTime(DailySchedule.TIME_VARIABLE, t))
                        .orElse(DailySchedule.DEFAULT_TIME),
                valueOrEnv.apply(DailySchedule.ENABLED_VARIABLE).map(AppSettings::bool).orElse(true),
                value.apply("alarmEmail"),
                value.apply("corsOrigins").map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList())
                        .orElse(List.of()),
                value.apply("apiGatewayAccountRole").map(AppSettings::bool).orElse(true),
                variables(context));
    }

    public static final String ADMIN_JWT_JWKS_URL = "ADMIN_JWT_JWKS_URL";
    /** Who issues admin tokens and for whom: a deploy with admin routes must say both. */
    public static final List<String> ADMIN_JWT_REQUIRED = List.of("ADMIN_JWT_ISSUER", "ADMIN_JWT_AUDIENCE");

    /**
     * Refuses a deploy with admin routes that does not name the admin tokens' issuer and audience: without them a
     * token from any issuer that the key verifies would open every admin route (the functions refuse them too).
     */
    public void requireAdminJwt(List<FunctionManifest> manifests) {
        List<String> admin = manifests.stream()
                .filter(m -> m.routes().stream().anyMatch(r -> r.auth() == RouteAuth.ADMIN_JWT))
                .map(FunctionManifest::name).toList();
        List<String> missing = ADMIN_JWT_REQUIRED.stream().filter(v -> !functionSettings.containsKey(v)).toList();
        if (!admin.isEmpty() && !missing.isEmpty()) {
            throw new IllegalArgumentException("admin routes (" + String.join(", ", admin) + ") need the admin tokens' "
                    + "issuer and audience: pass " + String.join(" ", missing.stream().map(v -> "-c " + v + "=<value>").toList()));
        }
    }

    /** The setting naming the pull sources whose sync function this deploy has (admin-sources reads it). */
    public static final String DEPLOYED_SYNCS = "SIGNUP_SYNC_DEPLOYED_SYNCS";

    /**
     * These settings with {@link #DEPLOYED_SYNCS} filled from the manifests deployed: the sources their bus
     * triggers serve, unless the deployer named them with {@code -c SIGNUP_SYNC_DEPLOYED_SYNCS=...}.
     */
    public AppSettings withDeployedSyncs(List<FunctionManifest> manifests) {
        if (functionSettings.containsKey(DEPLOYED_SYNCS)) {
            return this;
        }
        String sources = manifests.stream()
                .flatMap(m -> m.triggers(FunctionManifest.BusTrigger.class).stream())
                .map(FunctionManifest.BusTrigger::source).distinct().sorted()
                .collect(java.util.stream.Collectors.joining(","));
        Map<String, String> settings = new TreeMap<>(functionSettings);
        if (!sources.isEmpty()) {
            settings.put(DEPLOYED_SYNCS, sources);
        }
        return new AppSettings(stage, repoRoot, syncTime, syncEnabled, alarmEmail, corsOrigins, apiGatewayAccountRole,
                Map.copyOf(settings));
    }

    private static Map<String, String> variables(Node context) {
        Map<String, String> variables = new TreeMap<>();
        if (context.getAllContext() instanceof Map<?, ?> all) {
            all.forEach((key, value) -> {
                if (key instanceof String name && ENVIRONMENT_NAME.matcher(name).matches() && value != null
                        && !value.toString().isBlank()) {
                    variables.put(name, value.toString().strip());
                }
            });
        }
        return Map.copyOf(variables);
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean: " + value);
        };
    }
}
