package com.engarde.signupsync.testing;

import com.engarde.signupsync.config.SecretStore;
import com.engarde.signupsync.config.StubSecretsManager;
import com.engarde.signupsync.persistence.ConnectionPool;
import com.engarde.signupsync.persistence.DatabaseUrl;
import com.engarde.signupsync.snapstart.PrimingReport;
import com.engarde.signupsync.snapstart.SnapshotPriming;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One function in-process as SnapStart runs it: the service token and the database credentials come from a stub
 * Secrets Manager (so they are cached as in AWS), {@link #checkpoint()} calls the function's CRaC hook as the
 * Lambda runtime does before the snapshot and checks that nothing the snapshot must not hold survived it, and
 * {@link #restore()} calls the hook after a restore, so a test can send the first real request.
 */
public final class SnapshotCheck implements AutoCloseable {

    private static final String TOKEN_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:priming-token";
    private static final String DATABASE_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:priming-db";
    /** Every table a request could write. */
    private static final List<String> TABLES = List.of("leads", "funnel_events", "funnel_conversions",
            "funnel_sync_logs", "sync_records", "webhook_deliveries", "webhook_rejections");

    /** What the checkpoint left: the priming's report and how many secret reads the function had made by then. */
    public record Checkpoint(PrimingReport report, int secretReads) {
    }

    private final StubSecretsManager secrets;
    private final LambdaHarness lambda;
    private final SnapshotPriming priming;

    public SnapshotCheck(Map<String, Object> extraProperties) {
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
        properties.put("signup.sync.secrets.endpoint", secrets.endpoint());
        properties.put("signup.sync.service.token.secret.arn", TOKEN_ARN);
        properties.put("engarde.database.secret.arn", DATABASE_ARN);
        lambda = new LambdaHarness(properties);
        priming = lambda.context().getBean(SnapshotPriming.class);
    }

    public SnapshotCheck() {
        this(Map.of());
    }

    /**
     * The hook before the snapshot (what {@code beforeCheckpoint} runs). Fails when the priming wrote a row, left a
     * connection open or a secret cached, or read no secret at all (then the check would prove nothing).
     */
    public Checkpoint checkpoint() {
        PrimingReport report = priming.checkpoint();
        int open = lambda.context().getBean(ConnectionPool.class).openConnections();
        int cached = lambda.context().getBean(SecretStore.class).cached();
        Map<String, Long> written = new HashMap<>();
        TABLES.forEach(table -> {
            long rows = Rows.count(table);
            if (rows > 0) {
                written.put(table, rows);
            }
        });
        if (open != 0 || cached != 0 || !written.isEmpty() || secrets.reads() == 0) {
            throw new AssertionError("after beforeCheckpoint: " + open + " open connection(s), " + cached
                    + " cached secret(s), rows written " + written + ", " + secrets.reads() + " secret read(s)");
        }
        return new Checkpoint(report, secrets.reads());
    }

    /** The hook after a restore. */
    public void restore() {
        priming.afterRestore(null);
    }

    public LambdaHarness.Response handle(APIGatewayProxyRequestEvent event) {
        return lambda.handle(event);
    }

    /** Reads of Secrets Manager so far: after a restore, the first request must read its secrets again. */
    public int secretReads() {
        return secrets.reads();
    }

    public LambdaHarness lambda() {
        return lambda;
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
