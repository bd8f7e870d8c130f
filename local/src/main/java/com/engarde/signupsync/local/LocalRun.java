package com.engarde.signupsync.local;

import com.engarde.signupsync.persistence.DatabaseMigrations;
import com.engarde.signupsync.persistence.DatabaseUrl;
import com.engarde.signupsync.testing.AdminJwts;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Every function's routes in one process on localhost. With ENGARDE_DATABASE_URL unset it runs an embedded
 * PostgreSQL 16 whose data lives in {@code $SIGNUP_SYNC_DATA_DIR/postgres} (default {@code .signup-sync/}),
 * so it survives restarts. Migrates the database first, as the deploy does in AWS.
 */
public final class LocalRun implements AutoCloseable {

    static final String KEY_FILE = "encryption-key";
    static final String ENV_FILE = "local-run.env";

    private final EmbeddedPostgres embedded;
    private final ApplicationContext context;
    private final String url;
    private final String token;
    private final String adminToken;
    private final String databaseUrl;
    private final Path envFile;

    private LocalRun(EmbeddedPostgres embedded, ApplicationContext context, String url, String token, String adminToken,
                     String databaseUrl, Path envFile) {
        this.envFile = envFile;
        this.embedded = embedded;
        this.context = context;
        this.url = url;
        this.token = token;
        this.adminToken = adminToken;
        this.databaseUrl = databaseUrl;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> env = System.getenv();
        LocalRun run;
        try {
            run = start(env, args);
        } catch (StartRefused refused) {
            System.err.println("run-local: " + refused.getMessage());
            System.exit(1);
            return;
        }
        run.closeOnExit();
        System.out.println();
        System.out.println("signup-sync is running at " + run.url + listening(env));
        System.out.println("  database: " + run.databaseUrl() + (run.embedded != null
                ? "  (embedded PostgreSQL 16, data in " + dataDir(env).resolve("postgres").toAbsolutePath() + ")"
                : "  (ENGARDE_DATABASE_URL)"));
        System.out.println("  service token: " + run.token
                + (blank(env.get("SIGNUP_SYNC_SERVICE_TOKEN")) ? "  (generated for this run; set SIGNUP_SYNC_SERVICE_TOKEN to fix it)" : ""));
        System.out.println("  admin token: " + (run.adminToken != null ? run.adminToken
                + "  (a superuser's JWT for 12 hours, signed with a secret generated for this run)"
                : "none printed: ADMIN_JWT_SECRET or ADMIN_JWT_JWKS_URL is set, so tokens come from their issuer"));
        System.out.println("  for another shell: . " + run.envFile + "   (sets BASE, TOKEN and ADMIN_TOKEN)");
        System.out.println("  encryption key: " + (blank(env.get("SIGNUP_SYNC_ENCRYPTION_KEY"))
                ? dataDir(env).resolve(KEY_FILE).toAbsolutePath() + " (generated once, kept with the data)"
                : "SIGNUP_SYNC_ENCRYPTION_KEY"));
        System.out.println("  daily sync: " + (inProcessSchedule(env)
                ? "in this process at FUNNEL_SYNC_TIME (see GET /sync/status/{source_type})"
                : "not scheduled in a local run (SIGNUP_SYNC_IN_PROCESS_SCHEDULE=true runs it here); POST /sync/{source} runs one now"));
        System.out.println("  API document: " + run.url + ApiDocs.DOCUMENT + "  (Swagger UI: " + run.url + ApiDocs.UI + ")");
        System.out.println("  try: curl -s " + run.url + "/health");
    }

    /** Starts the database (embedded unless configured), migrates it, and serves every route. */
    public static LocalRun start(Map<String, String> env, String... args) throws IOException {
        int port = port(env);
        requireFreePort(host(env), port);
        EmbeddedPostgres embedded = null;
        String databaseUrl = env.get("ENGARDE_DATABASE_URL");
        if (blank(databaseUrl)) {
            Path data = dataDir(env).resolve("postgres");
            Files.createDirectories(data.getParent());
            try {
                // The builder's defaults are for throwaway test databases (fsync and synchronous commit off); this
                // one's data is meant to survive a crash of the laptop, not only a clean restart. No hook of its
                // own: ours stops PostgreSQL after the context has handed its running syncs back.
                embedded = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on")
                        .start();
            } catch (IllegalStateException e) {
                if (String.valueOf(e.getMessage()).contains("could not lock")) {
                    throw new StartRefused("the data folder " + dataDir(env).toAbsolutePath() + " is in use by another"
                            + " local run: stop that one, or give this one its own folder and port, e.g."
                            + " SIGNUP_SYNC_DATA_DIR=.signup-sync-2 PORT=" + (port == 0 ? 8081 : port + 1) + " ./run-local");
                }
                throw e;
            }
            // Trust authentication on 127.0.0.1 only: there is no password to default.
            databaseUrl = "postgresql://postgres@localhost:" + embedded.getPort() + "/postgres";
        }
        try {
            return serve(env, embedded, databaseUrl, port, args);
        } catch (IOException | RuntimeException e) {
            closeQuietly(embedded);
            throw e;
        }
    }

    private static LocalRun serve(Map<String, String> env, EmbeddedPostgres embedded, String databaseUrl, int port,
                                  String... args) throws IOException {
        DatabaseMigrations.migrate(DatabaseUrl.parse(databaseUrl).simpleDataSource());

        String token = env.get("SIGNUP_SYNC_SERVICE_TOKEN");
        if (blank(token)) {
            token = random();
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("signup.sync.encryption.key", blank(env.get("SIGNUP_SYNC_ENCRYPTION_KEY"))
                ? localEncryptionKey(dataDir(env)) : env.get("SIGNUP_SYNC_ENCRYPTION_KEY"));
        String adminToken = null;
        if (blank(env.get("ADMIN_JWT_SECRET")) && blank(env.get("ADMIN_JWT_JWKS_URL"))) {
            String secret = random();
            properties.put("admin.jwt.secret", secret);
            adminToken = developmentAdminToken(secret, env);
        }
        properties.putAll(vendorSettings(env));
        properties.put("engarde.database.url", databaseUrl);
        properties.put("engarde.database.pool-size", 10);
        properties.put("signup.sync.service.token", token);
        // The daily sync runs here only when asked; "false" tells the status answers that nothing fires it.
        properties.put("signup.sync.in-process.schedule", String.valueOf(inProcessSchedule(env)));
        Path envFile = dataDir(env).resolve(ENV_FILE).toAbsolutePath();
        properties.put(LocalRouteAuthFilter.ENV_FILE_PROPERTY, envFile.toString());
        earlierToken(envFile).ifPresent(earlier -> properties.put(LocalRouteAuthFilter.EARLIER_TOKEN_PROPERTY, earlier));
        // PORT=0 asks for any free port (tests); Micronaut spells that -1.
        properties.put("micronaut.server.port", port == 0 ? -1 : port);
        // Loopback unless HOST says otherwise: the service token is the only thing between the network and
        // the data, and a laptop's network is not a trusted one.
        properties.put("micronaut.server.host", host(env));
        // The Swagger UI page's scripts and styles, from this jar (see ApiDocs).
        properties.put("micronaut.router.static-resources.swagger-ui.paths", ApiDocs.UI_ASSETS_RESOURCE);
        properties.put("micronaut.router.static-resources.swagger-ui.mapping", ApiDocs.UI_ASSETS + "**");
        // Not Micronaut.run: its own shutdown hook races ours and deadlocks. Ours stops the server, the
        // context, then PostgreSQL, in that order.
        ApplicationContext context = ApplicationContext.builder().args(args).properties(properties).start();
        EmbeddedServer server;
        try {
            server = context.getBean(EmbeddedServer.class).start();
        } catch (RuntimeException e) {
            context.close();
            if (port != 0 && causedBy(e, java.net.BindException.class)) {
                throw portTaken(host(env), port);
            }
            throw e;
        }
        String url = "http://" + reachableHost(host(env)) + ":" + server.getPort();
        writeEnvFile(envFile, url, token, adminToken);
        return new LocalRun(embedded, context, url, token, adminToken, printable(databaseUrl), envFile);
    }

    /** A start that cannot go on for a reason the user fixes; said in one line, without a stack trace. */
    static final class StartRefused extends RuntimeException {
        StartRefused(String message) {
            super(message);
        }
    }

    static int port(Map<String, String> env) {
        String port = env.get("PORT");
        try {
            int value = blank(port) ? 8080 : Integer.parseInt(port.strip());
            if (value < 0 || value > 65535) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new StartRefused("PORT must be a number from 0 to 65535 (0: any free port)");
        }
    }

    /** Before PostgreSQL starts: a port already taken is said at once, not after the database is up. */
    private static void requireFreePort(String host, int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (IOException e) {
            throw portTaken(host, port);
        }
    }

    private static StartRefused portTaken(String host, int port) {
        return new StartRefused("port " + port + " on " + host + " is taken (another ./run-local?): stop that one,"
                + " or start this one on another port with its own data folder, e.g."
                + " SIGNUP_SYNC_DATA_DIR=.signup-sync-2 PORT=" + (port + 1) + " ./run-local");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** Where a client on this machine reaches the run: the loopback address when it listens on every interface. */
    static String reachableHost(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1"
                : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String listening(Map<String, String> env) {
        String host = host(env);
        return reachableHost(host).equals(host) ? "" : "  (listening on " + host + ", every interface)";
    }

    static boolean inProcessSchedule(Map<String, String> env) {
        return Boolean.parseBoolean(String.valueOf(env.get("SIGNUP_SYNC_IN_PROCESS_SCHEDULE")).strip());
    }

    /**
     * The URL and tokens this run printed, as shell assignments another shell can source; readable by the owner
     * only, since they open the API. Created with those permissions before anything is written to it.
     */
    private static void writeEnvFile(Path file, String url, String token, String adminToken) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, "# written by ./run-local at its start: . this file to use its URL and tokens\n"
                + "BASE=" + url + "\n"
                + "TOKEN=" + token + "\n"
                + "ADMIN_TOKEN=" + (adminToken == null ? "" : adminToken) + "\n");
    }

    /** The service token the previous run wrote, to tell a caller still using it what happened. */
    private static java.util.Optional<String> earlierToken(Path envFile) {
        try {
            return Files.readAllLines(envFile).stream().filter(line -> line.startsWith("TOKEN="))
                    .map(line -> line.substring("TOKEN=".length()).strip()).filter(s -> !s.isEmpty()).findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The local key that seals stored credentials: generated once into the data folder and kept there with the
     * database it protects (only the owner may read it), so stored credentials still open after a restart.
     */
    private static String localEncryptionKey(Path dataDir) throws IOException {
        Path file = dataDir.resolve(KEY_FILE);
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        Files.createDirectories(dataDir);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String encoded = Base64.getEncoder().encodeToString(key);
        Files.writeString(file, encoded + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the folder's own permissions apply
        }
        return encoded;
    }

    /** A superuser's token for this run, signed with its generated secret, as the En Garde backend would issue it. */
    private static String developmentAdminToken(String secret, Map<String, String> env) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("local-admin")
                .claim("email", blank(env.get("PLATFORM_USER_EMAIL")) ? "admin@localhost" : env.get("PLATFORM_USER_EMAIL"))
                .claim("is_superuser", true).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(12))));
        if (!blank(env.get("ADMIN_JWT_ISSUER"))) {
            claims.issuer(env.get("ADMIN_JWT_ISSUER"));
        }
        if (!blank(env.get("ADMIN_JWT_AUDIENCE"))) {
            claims.audience(env.get("ADMIN_JWT_AUDIENCE"));
        }
        return AdminJwts.hs256(claims.build(), secret);
    }

    /**
     * The vendor variables of {@code env} ({@code ZOOM_API_URL}, {@code EVENTBRITE_OAUTH_TOKEN}...) as the
     * properties Micronaut reads them as ({@code zoom.api.url}): from the process environment it reads them
     * itself, but a caller that starts the run with its own map (a test pointing it at a stub) is heard too.
     */
    static Map<String, Object> vendorSettings(Map<String, String> env) {
        Map<String, Object> settings = new HashMap<>();
        env.forEach((name, value) -> {
            if (vendorPrefixes().stream().anyMatch(name::startsWith) && !blank(value)) {
                settings.put(name.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), value);
            }
        });
        return settings;
    }

    /** Every declared integration's variable prefix ({@code ZOOM_}). */
    private static java.util.List<String> vendorPrefixes() {
        return com.engarde.signupsync.integrations.Integrations.declared().all().stream()
                .map(com.engarde.signupsync.integrations.Integration::variablePrefix).toList();
    }

    /** Where the server listens: {@code HOST}, else 127.0.0.1. */
    static String host(Map<String, String> env) {
        String host = env.get("HOST");
        return blank(host) ? "127.0.0.1" : host.strip();
    }

    /** A postgresql:// URL without its password, for printing; never the input when it cannot be parsed. */
    static String printable(String databaseUrl) {
        try {
            java.net.URI uri = java.net.URI.create(databaseUrl.strip());
            String userInfo = uri.getRawUserInfo();
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "(a database URL that is not postgresql://user@host:port/db)";
            }
            String user = userInfo == null ? "" : userInfo.substring(0, userInfo.indexOf(':') < 0 ? userInfo.length()
                    : userInfo.indexOf(':')) + "@";
            return uri.getScheme() + "://" + user + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + query(uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return "(a database URL that is not postgresql://user@host:port/db)";
        }
    }

    private static String query(String raw) {
        if (raw == null) {
            return "";
        }
        String kept = java.util.Arrays.stream(raw.split("&"))
                .filter(p -> !p.toLowerCase(java.util.Locale.ROOT).startsWith("password="))
                .collect(java.util.stream.Collectors.joining("&"));
        return kept.isEmpty() ? "" : "?" + kept;
    }

    /** The database in use, without its password. */
    public String databaseUrl() {
        return databaseUrl;
    }

    /**
     * {@code SIGNUP_SYNC_DATA_DIR}, else {@code .signup-sync} under the working directory. The system property
     * {@value #DATA_DIR_PROPERTY} moves that default (the build points it into {@code target/}, so that tests
     * never write into the source tree).
     */
    static Path dataDir(Map<String, String> env) {
        String dir = env.get("SIGNUP_SYNC_DATA_DIR");
        return Path.of(!blank(dir) ? dir : System.getProperty(DATA_DIR_PROPERTY, ".signup-sync"));
    }

    static final String DATA_DIR_PROPERTY = "signup.sync.local-run.default-data-dir";

    /** The file holding this run's URL and tokens. */
    public Path envFile() {
        return envFile;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public String url() {
        return url;
    }

    public String token() {
        return token;
    }

    /** The development admin JWT, or null when the admin keys are configured. */
    public String adminToken() {
        return adminToken;
    }

    public ApplicationContext context() {
        return context;
    }

    /**
     * Closes the run when the JVM exits (Ctrl-C, SIGTERM). The only hook: PostgreSQL registers none of its own, so
     * the context (which hands running syncs back) always stops before the database does.
     */
    public void closeOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "local-run-stop"));
    }

    /** Stops the server and the context (running syncs are handed back then), and only then PostgreSQL. */
    @Override
    public synchronized void close() {
        if (context.isRunning()) {
            context.close();
        }
        closeQuietly(embedded);
    }
}
