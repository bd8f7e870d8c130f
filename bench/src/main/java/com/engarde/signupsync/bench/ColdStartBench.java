package com.engarde.signupsync.bench;

import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.SyncBus;
import com.engarde.signupsync.snapstart.ApiGatewayFunction;
import com.engarde.signupsync.snapstart.LambdaJvm;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.EventBridgeStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The cold start of every routed function, as the serverless Java samples measure it: the function's own shaded
 * jar in a fresh JVM with the Lambda runtime's flags, one representative request from events/, {@code --runs}
 * times (20), p50 and p99 from JVM start to the answer, and the jar's size. Side by side in the same run, the
 * first request alone after the SnapStart hooks ran in a fresh JVM ({@code --primed-runs}, 10) against the first
 * request of the runs without them. With {@code --cds}, the same cold starts again over an AppCDS archive of the
 * function dumped by one training run; with {@code --eager}, the API functions again with Micronaut's own handler,
 * which creates every singleton at start-up; with {@code --c2}, the same cold starts without the C1-only flags.
 * Each run also counts the classes its first request loaded: what priming left for the first request
 * ({@code --classes} lists them per function; {@code --only a,b} measures only those functions). Run from the repository root: {@code bench/run.sh coldstart}.
 */
public final class ColdStartBench {

    /** The representative request of each routed function, from events/apigateway/, and the status it answers. */
    private static final Map<String, Sample> SAMPLES = Map.ofEntries(
            Map.entry("admin-platform", new Sample("admin-platform-admins.json", 200)),
            Map.entry("admin-platform-brands", new Sample("admin-platform-brands.json", 200)),
            Map.entry("admin-platform-usage", new Sample("admin-platform-usage-tenants.json", 200)),
            Map.entry("admin-sources", new Sample("admin-sources.json", 200)),
            Map.entry("funnel-analytics", new Sample("sync-status.json", 200)),
            Map.entry("funnel-events", new Sample("funnel-event.json", 201)),
            Map.entry("sync-dispatch", new Sample("sync-all.json", 202)),
            Map.entry("sync-easyappointments", new Sample("sync-easyappointments.json", 202)),
            Map.entry("sync-eventbrite", new Sample("sync-eventbrite.json", 202)),
            Map.entry("sync-poshvip", new Sample("sync-poshvip-deliveries.json", 200)),
            Map.entry("sync-zoom", new Sample("sync-zoom.json", 202)),
            Map.entry("usage-ingest", new Sample("usage-metrics.json", 200)),
            Map.entry("usage-rollup", new Sample("usage-rollup.json", 200)),
            Map.entry("webhook-poshvip", new Sample("webhook-poshvip-new-order.json", 200)));
    /** Where an admin route's event says {@code Bearer {{ADMIN_JWT}}}, the bench puts a superuser's fresh token. */
    private static final String ADMIN_JWT_PLACEHOLDER = "{{ADMIN_JWT}}";
    /** {@code --classes}: also write the classes each function's first request loads to bench/target/coldstart-classes. */
    private static boolean CLASS_LOG;
    /** What webhook-poshvip-new-order.json presents in Posh-Secret; a throwaway value. */
    private static final String POSH_SECRET = "test-posh-secret-not-a-secret";

    private record Sample(String event, int status) {
    }

    /** One fresh JVM: JVM start to the answer, the first request alone, and the classes that request loaded. */
    private record Run(long jvmToAnswerMillis, long requestMillis, long classesLoaded) {
    }

    public static void main(String[] args) throws Exception {
        int runs = option(args, "--runs", 20);
        int primedRuns = option(args, "--primed-runs", 10);
        boolean cds = Arrays.asList(args).contains("--cds");
        boolean eager = Arrays.asList(args).contains("--eager");
        boolean c2 = Arrays.asList(args).contains("--c2");
        CLASS_LOG = Arrays.asList(args).contains("--classes");
        TestDatabase db = TestDatabase.get();
        Path root = LambdaHarness.eventsDir().getParent();
        Map<String, FunctionManifest> functions = routedFunctions(root.resolve("functions"));
        String only = stringOption(args, "--only", null);
        if (only != null) {
            functions.keySet().retainAll(List.of(only.split(",")));
        }
        Path probeJar = probeJar(root);
        System.out.printf("JVM: %s, flags -XX:+UseSerialGC and JAVA_TOOL_OPTIONS=\"%s\"; %d cold runs, %d primed runs"
                + " per function; database %s%n", System.getProperty("java.vm.version"), LambdaJvm.JAVA_TOOL_OPTIONS,
                runs, primedRuns, db.embedded() ? "embedded PostgreSQL 16" : "SIGNUP_SYNC_TEST_DATABASE_URL");
        List<String> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (EventBridgeStub bus = new EventBridgeStub()) {
            Map<String, String> environment = environment(db, bus);
            for (Map.Entry<String, FunctionManifest> function : functions.entrySet()) {
                String name = function.getKey();
                Sample sample = SAMPLES.get(name);
                Path jar = root.resolve("functions").resolve(name).resolve("target").resolve(name + "-lambda.jar");
                if (sample == null || !Files.exists(jar)) {
                    missing.add(name + (sample == null ? ": no representative event in ColdStartBench.SAMPLES" : ": " + jar + " not built"));
                    continue;
                }
                String handler = function.getValue().handler();
                Probe probe = new Probe(root, jar, probeJar, function.getValue(), handler,
                        render(root, sample.event()), sample.status(), environment, db);
                List<Run> cold = probe.runs(runs, "unprimed", List.of());
                List<Run> primed = probe.runs(primedRuns, "primed", List.of());
                long first = p(cold.stream().map(Run::requestMillis).toList(), 50);
                long firstPrimed = p(primed.stream().map(Run::requestMillis).toList(), 50);
                String row = String.format("%-22s %8.1f %8d %8d %10d %10d %8.2f %8d %8d", name, Files.size(jar) / 1e6,
                        p(cold.stream().map(Run::jvmToAnswerMillis).toList(), 50),
                        p(cold.stream().map(Run::jvmToAnswerMillis).toList(), 99), first, firstPrimed,
                        (double) firstPrimed / Math.max(1, first),
                        p(cold.stream().map(Run::classesLoaded).toList(), 50),
                        p(primed.stream().map(Run::classesLoaded).toList(), 50));
                if (c2) {
                    Map<String, String> tiered = new TreeMap<>(environment);
                    tiered.remove("JAVA_TOOL_OPTIONS");
                    List<Run> full = new Probe(root, jar, probeJar, function.getValue(), handler, probe.event(),
                            sample.status(), tiered, db).runs(runs, "unprimed", List.of());
                    row += String.format(" %8d %8d", p(full.stream().map(Run::jvmToAnswerMillis).toList(), 50),
                            p(full.stream().map(Run::jvmToAnswerMillis).toList(), 99));
                }
                if (cds) {
                    List<Run> shared = probe.runs(runs, "unprimed", probe.archive());
                    row += String.format(" %8d %8d", p(shared.stream().map(Run::jvmToAnswerMillis).toList(), 50),
                            p(shared.stream().map(Run::jvmToAnswerMillis).toList(), 99));
                }
                if (eager && handler.equals(ApiGatewayFunction.class.getName())) {
                    Probe stock = new Probe(root, jar, probeJar, function.getValue(), ApiGatewayProxyRequestEventFunction.class.getName(),
                            probe.event(), sample.status(), environment, db);
                    List<Run> all = stock.runs(runs, "unprimed", List.of());
                    row += String.format(" %8d %8d", p(all.stream().map(Run::jvmToAnswerMillis).toList(), 50),
                            p(all.stream().map(Run::jvmToAnswerMillis).toList(), 99));
                }
                rows.add(row);
                System.out.println("  measured " + name);
            }
        }
        System.out.println();
        System.out.printf("%-22s %8s %8s %8s %10s %10s %8s %8s %8s%s%s%s%n", "function", "jar MB", "p50 ms", "p99 ms",
                "1st req", "1st primed", "ratio", "classes", "cls prim", c2 ? "   C2 p50   C2 p99" : "",
                cds ? "  CDS p50  CDS p99" : "", eager ? " eagr p50 eagr p99" : "");
        rows.forEach(System.out::println);
        System.out.println("p50/p99: JVM start to the first answer, fresh JVM, no priming (targets < 1000 / < 1300 ms);"
                + " jar < 22 MB.");
        System.out.println("1st req: the first request alone (context already started), median; 1st primed: the same after"
                + " beforeCheckpoint + afterRestore in the same fresh JVM; ratio primed/unprimed (target <= 0.20).");
        System.out.println("classes / cls prim: classes the first request loaded, without and with priming (median);"
                + " C2: without the C1-only flags (the JVM's default tiered compilation); CDS: over an AppCDS archive.");
        if (!missing.isEmpty()) {
            missing.forEach(m -> System.out.println("NOT MEASURED " + m));
            System.exit(1);
        }
    }

    /**
     * How the functions find the database, the stub bus and their secrets: plain variables, as in the local run.
     * The bus's name only where the deploy gives it (a manifest's busPublisher), as the CDK app does.
     */
    private static Map<String, String> environment(TestDatabase db, EventBridgeStub bus) {
        Map<String, String> environment = new TreeMap<>();
        environment.put("ENGARDE_DATABASE_URL", db.url());
        environment.put("SIGNUP_SYNC_SERVICE_TOKEN", LambdaHarness.TOKEN);
        environment.put("POSHVIP_WEBHOOK_SECRET", POSH_SECRET);
        environment.put("SIGNUP_SYNC_BUS_ENDPOINT", bus.endpoint());
        environment.put("SIGNUP_SYNC_BUS_REGION", "eu-west-1");
        environment.put("AWS_REGION", "eu-west-1");
        // The SDK signs even a request to the stub; these are not credentials for anything.
        environment.put("AWS_ACCESS_KEY_ID", "bench-access-key-not-a-secret");
        environment.put("AWS_SECRET_ACCESS_KEY", "bench-secret-key-not-a-secret");
        environment.put("JAVA_TOOL_OPTIONS", LambdaJvm.JAVA_TOOL_OPTIONS);
        environment.put("ADMIN_JWT_SECRET", AdminJwts.SECRET);
        environment.put("ADMIN_JWT_ISSUER", AdminJwts.ISSUER);
        environment.put("ADMIN_JWT_AUDIENCE", AdminJwts.AUDIENCE);
        // The sync functions' vendor credentials, as a deploy gives them: a sync of a source without any is refused.
        environment.put("EASYAPPOINTMENTS_URL", "https://booking.example.com");
        environment.put("EASYAPPOINTMENTS_API_KEY", "bench-easyappointments-key-not-a-secret");
        environment.put("ZOOM_ACCOUNT_ID", "bench-zoom-account");
        environment.put("ZOOM_CLIENT_ID", "bench-zoom-client");
        environment.put("ZOOM_CLIENT_SECRET", "bench-zoom-secret-not-a-secret");
        environment.put("EVENTBRITE_OAUTH_TOKEN", "bench-eventbrite-token-not-a-secret");
        return environment;
    }

    /**
     * The event as the function receives it: an admin route's sample names {@value #ADMIN_JWT_PLACEHOLDER}, for
     * which a superuser's token valid for the next hour is put in (a JWT in a file would have expired).
     */
    private static Path render(Path root, String event) throws IOException {
        String text = Files.readString(root.resolve("events/apigateway").resolve(event));
        if (!text.contains(ADMIN_JWT_PLACEHOLDER)) {
            return root.resolve("events/apigateway").resolve(event);
        }
        Path rendered = root.resolve("bench/target/events").resolve(event);
        Files.createDirectories(rendered.getParent());
        Files.writeString(rendered, text.replace(ADMIN_JWT_PLACEHOLDER, AdminJwts.superuser(Instant.now())));
        return rendered;
    }

    /** One function's jar, started again and again. */
    private record Probe(Path root, Path jar, Path probeJar, FunctionManifest manifest, String handler, Path event, int status,
                         Map<String, String> environment, TestDatabase db) {

        List<Run> runs(int count, String mode, List<String> extraFlags) throws IOException, InterruptedException {
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                runs.add(once(mode, extraFlags));
            }
            if (CLASS_LOG && extraFlags.isEmpty() && count > 0) {
                // One more run, logging every class load: what the first request loads, for finding what to prime.
                once(mode, List.of("-Xlog:class+load:stdout"));
            }
            return runs;
        }

        /** Dumps an AppCDS archive of one run's classes and answers the flags that use it. */
        List<String> archive() throws IOException, InterruptedException {
            Path archive = root.resolve("bench/target").resolve(jar.getFileName() + ".jsa");
            Files.deleteIfExists(archive);
            once("unprimed", List.of("-XX:ArchiveClassesAtExit=" + archive));
            return List.of("-XX:SharedArchiveFile=" + archive);
        }

        Run once(String mode, List<String> extraFlags) throws IOException, InterruptedException {
            // Every run is a first write: nothing from an earlier run turns it into a duplicate.
            db.truncate();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:MaxHeapSize=" + (manifest.memoryMb() * 85 / 100) + "m"));
            command.addAll(extraFlags);
            command.addAll(List.of("-cp", jar + File.pathSeparator + probeJar,
                    ColdStartProbe.class.getName(), handler, event.toString(), mode));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            if (manifest.busPublisher()) {
                builder.environment().put(SyncBus.NAME_VARIABLE, SyncBus.NAME);
            }
            Process process = builder.start();
            String result = null;
            StringBuilder output = new StringBuilder();
            List<String> requestClasses = new ArrayList<>();
            boolean inRequest = false;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("COLD-START ")) {
                        result = line;
                        inRequest = false;
                    } else if (line.equals("COLD-START-REQUEST")) {
                        inRequest = true;
                    } else if (inRequest && line.contains("[class,load]")) {
                        requestClasses.add(line.replaceFirst("^.*\\[class,load\\] ", ""));
                    } else if (output.length() < 4000 && !line.contains("[class,load]")) {
                        output.append(line).append('\n');
                    }
                }
            }
            if (extraFlags.stream().anyMatch(f -> f.startsWith("-Xlog:class+load"))) {
                Path log = root.resolve("bench/target/coldstart-classes").resolve(jar.getFileName().toString()
                        .replace("-lambda.jar", "") + "-" + mode + ".txt");
                Files.createDirectories(log.getParent());
                Files.write(log, requestClasses);
            }
            if (process.waitFor() != 0 || result == null) {
                throw new IllegalStateException(jar.getFileName() + " probe failed:\n" + output);
            }
            String[] parts = result.split(" ");
            if (Integer.parseInt(parts[3]) != status) {
                throw new IllegalStateException(jar.getFileName() + " answered " + parts[3] + ", not " + status + ":\n" + output);
            }
            return new Run(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[4]));
        }
    }

    /** The probe alone in a jar: class-data sharing takes only jars on the class path. */
    private static Path probeJar(Path root) throws IOException {
        Path jar = root.resolve("bench/target/coldstart-probe.jar");
        String entry = ColdStartProbe.class.getName().replace('.', '/') + ".class";
        try (InputStream in = ColdStartProbe.class.getClassLoader().getResourceAsStream(entry);
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    private static Map<String, FunctionManifest> routedFunctions(Path functions) {
        Map<String, FunctionManifest> routed = new TreeMap<>();
        for (FunctionManifest manifest : FunctionManifest.readAll(functions)) {
            if (!manifest.routes().isEmpty()) {
                routed.put(manifest.name(), manifest);
            }
        }
        if (routed.isEmpty()) {
            throw new IllegalStateException("no routed function under " + functions);
        }
        return routed;
    }

    /** Nearest-rank percentile: of 20 runs, p50 is the 10th fastest and p99 the slowest. */
    static long p(List<Long> values, int percentile) {
        if (values.isEmpty()) {
            return 0;
        }
        Long[] sorted = values.toArray(new Long[0]);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
