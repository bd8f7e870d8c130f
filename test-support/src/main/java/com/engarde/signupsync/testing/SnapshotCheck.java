package com.engarde.signupsync.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.config.SecretStore;
import com.engarde.signupsync.config.StubSecretsManager;
import com.engarde.signupsync.persistence.ConnectionPool;
import com.engarde.signupsync.persistence.DatabaseUrl;
import com.engarde.signupsync.snapstart.PrimingReport;
import com.engarde.signupsync.snapstart.SnapshotPriming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One function in-process as SnapStart runs it: the service token and the database credentials come from a stub
 * Secrets Manager (so they are cached as in AWS); {@link #firstRequestAfterRestore} calls the function's CRaC
 * hooks as the Lambda runtime does around a snapshot, checks that nothing the snapshot must not hold survived
 * the first, and sends the first real request after the second.
 */
public final class SnapshotCheck implements AutoCloseable {

    private static final String TOKEN_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:priming-token";
    private static final String DATABASE_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:priming-db";

    /** What the priming reported, and the answer to the first request after the restore. */
    public record Restored(PrimingReport priming, LambdaHarness.Response response) {
    }

    private final StubSecretsManager secrets;
    private final LambdaHarness lambda;
    private final SnapshotPriming priming;

    public SnapshotCheck(Map<String, Object> extraProperties) {
        this(extraProperties, Map.of());
    }

    /**
     * {@code vendorSecrets}: more secrets in the stub Secrets Manager, by the variable naming their ARN
     * ({@code ZOOM_SECRET_ARN}) to their JSON value, as a function's manifest secrets are in AWS.
     */
    private SnapshotCheck(Map<String, Object> extraProperties, Map<String, String> vendorSecrets) {
        TestDatabase database = TestDatabase.get();
        database.truncate();
        try {
            secrets = new StubSecretsManager();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        secrets.put(TOKEN_ARN, "{\"SIGNUP_SYNC_SERVICE_TOKEN\":\"" + LambdaHarness.TOKEN + "\"}");
        secrets.put(DATABASE_ARN, rdsSecret(DatabaseUrl.parse(database.url())));
        Map<String, Object> properties = new HashMap<>(extraProperties);
        vendorSecrets.forEach((arnVariable, json) -> {
            String arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:priming-" + arnVariable.toLowerCase(java.util.Locale.ROOT);
            secrets.put(arn, json);
            properties.put(com.engarde.signupsync.config.SecretName.property(arnVariable), arn);
        });
        properties.put("signup.sync.secrets.endpoint", secrets.endpoint());
        properties.put("signup.sync.service.token.secret.arn", TOKEN_ARN);
        properties.put("engarde.database.secret.arn", DATABASE_ARN);
        lambda = new LambdaHarness(properties);
        priming = lambda.context().getBean(SnapshotPriming.class);
    }

    public SnapshotCheck() {
        this(Map.of());
    }

    /** A function that publishes to the bus, with {@code bus} standing in for EventBridge. */
    public static SnapshotCheck publishingTo(EventBridgeStub bus) {
        return new SnapshotCheck(Map.of("signup.sync.event.bus.name", "signup-sync",
                "signup.sync.bus.endpoint", bus.endpoint(), "signup.sync.bus.region", "eu-west-1"));
    }

    /**
     * A sync function that publishes to the bus, with its vendor's secret (ARN variable to JSON value) and
     * settings as the deploy gives them.
     */
    public static SnapshotCheck publishingTo(EventBridgeStub bus, Map<String, String> vendorSecrets,
                                             Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>(settings);
        properties.putAll(Map.of("signup.sync.event.bus.name", "signup-sync", "signup.sync.bus.endpoint", bus.endpoint(),
                "signup.sync.bus.region", "eu-west-1"));
        return new SnapshotCheck(properties, vendorSecrets);
    }

    /** An admin function: admin JWTs signed with {@link AdminJwts#SECRET} are accepted. */
    public static SnapshotCheck forAdmin() {
        return new SnapshotCheck(AdminJwts.PROPERTIES);
    }

    /**
     * The hook before the snapshot (what {@code beforeCheckpoint} runs), the hook after a restore, then the first
     * request. Fails when the priming was not clean (a sample answered other than declared, or failed), wrote a
     * row in any table, left a connection open or a secret cached, read no secret at all (then the check would prove nothing),
     * or when the first request after the restore did not read its secrets again.
     */
    public Restored firstRequestAfterRestore(APIGatewayProxyRequestEvent event) {
        Map<String, Long> before = rowCounts();
        PrimingReport report = priming.checkpoint();
        int open = lambda.context().getBean(ConnectionPool.class).openConnections();
        int cached = lambda.context().getBean(SecretStore.class).cached();
        Map<String, Long> written = new HashMap<>();
        rowCounts().forEach((table, rows) -> {
            if (!rows.equals(before.get(table))) {
                written.put(table, rows - before.getOrDefault(table, 0L));
            }
        });
        int readsBefore = secrets.reads();
        if (!report.clean() || open != 0 || cached != 0 || !written.isEmpty() || readsBefore == 0) {
            throw new AssertionError("after beforeCheckpoint: " + report + ", " + open + " open connection(s), " + cached
                    + " cached secret(s), rows written " + written + ", " + readsBefore + " secret read(s)");
        }
        priming.afterRestore(null);
        LambdaHarness.Response response = lambda.handle(event);
        if (secrets.reads() == readsBefore) {
            throw new AssertionError("the first request after the restore used secrets cached before the checkpoint");
        }
        return new Restored(report, response);
    }

    /**
     * The row count of every table of the schema but the migration history: a priming that wrote anywhere (the
     * funnel, the sync log, the audit log, usage, rollups) changes one. Tables the migrations seed count too.
     */
    private static Map<String, Long> rowCounts() {
        Map<String, Long> counts = new HashMap<>();
        List<String> tables = new ArrayList<>();
        try (Connection c = TestDatabase.get().dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND tablename NOT LIKE 'flyway%'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting rows", e);
        }
        return counts;
    }

    private static String rdsSecret(DatabaseUrl url) {
        URI location = URI.create(url.jdbcUrl().substring("jdbc:".length()));
        return "{\"username\":\"" + url.user() + "\",\"password\":\"" + (url.password() == null ? "" : url.password())
                + "\",\"host\":\"" + location.getHost() + "\",\"port\":" + location.getPort()
                + ",\"dbname\":\"" + location.getPath().substring(1) + "\",\"sslmode\":\"disable\"}";
    }

    @Override
    public void close() {
        lambda.close();
        secrets.close();
    }
}
