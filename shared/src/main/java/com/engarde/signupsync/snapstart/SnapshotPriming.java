package com.engarde.signupsync.snapstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.config.SecretStore;
import com.engarde.signupsync.config.SecretValues;
import com.engarde.signupsync.persistence.ConnectionPool;
import com.engarde.signupsync.persistence.Database;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one SnapStart hook of every function. Before the checkpoint it runs the function's {@link SampleWork}
 * (its requests through the function's own handler, then its work below the handler), primes every
 * {@link PrimableClient} the function has (the EventBridge bus of a publisher), and runs one read-only
 * statement, every database write rolled back, then closes what must not be in a snapshot:
 * <ul>
 *   <li>the connection pool ({@link ConnectionPool#close()}): a restored socket is dead, and every restore of
 *       one snapshot would share it;</li>
 *   <li>every cached secret and the Secrets Manager client with the credentials it resolved
 *       ({@link SecretStore#forgetAll()}): no secret value is ever part of a snapshot, and each restore
 *       resolves its own credentials.</li>
 * </ul>
 * After a restore both re-open lazily on the first request that needs them. Nothing else here differs per
 * container: random values come from {@code SecureRandom}, which Lambda re-seeds on every restore (retry jitter
 * included, see sync.RetryPolicy), ids from database sequences, times from the clock at each call.
 *
 * <p>Eager ({@link Context}) only so that it is registered with the CRaC global context while the function
 * initialises; it does nothing else until the Lambda runtime calls it. Outside SnapStart it is never called.
 */
@Context
public class SnapshotPriming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPriming.class);

    private final ApplicationContext context;

    public SnapshotPriming(ApplicationContext context) {
        this.context = context;
        // org.crac holds resources weakly; the application context keeps this singleton, and so the hook, alive.
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> crac) {
        checkpoint();
    }

    /** What {@link #beforeCheckpoint} does: {@link #prime()}, then {@link #release()} whatever happened. */
    public PrimingReport checkpoint() {
        PrimingReport report;
        try {
            report = prime();
        } finally {
            release();
        }
        if (report.clean()) {
            LOG.info("primed for the snapshot: {} sample request(s), database {}", report.requests().size(),
                    report.databaseReached() ? "reached" : "not reached");
        } else {
            // A snapshot without full priming is still correct, only slower to answer first: never fail the deploy.
            LOG.warn("priming incomplete: {}", report);
        }
        return report;
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> crac) {
        // Pool and secrets open again on first use; a value cached by a request racing the checkpoint is dropped.
        context.getBean(SecretStore.class).forgetAll();
    }

    /**
     * Runs every {@link SampleWork} of this function and one read-only statement, with every database write
     * rolled back ({@link ConnectionPool#rollingBack}); changes nothing.
     */
    public PrimingReport prime() {
        List<PrimingReport.Answered> answered = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        boolean[] databaseReached = new boolean[1];
        Runnable work = () -> {
            runSamples(answered, failures);
            databaseReached[0] = readOnlyStatement();
        };
        context.findBean(ConnectionPool.class).ifPresentOrElse(pool -> pool.rollingBack(work), work);
        return new PrimingReport(List.copyOf(answered), List.copyOf(failures), databaseReached[0]);
    }

    private void runSamples(List<PrimingReport.Answered> answered, List<String> failures) {
        List<SampleWork> samples = List.copyOf(context.getBeansOfType(SampleWork.class));
        if (samples.isEmpty()) {
            failures.add("this function declares no SampleWork");
        }
        ApiGatewayProxyRequestEventFunction handler = null;
        String token = null;
        for (SampleWork sample : samples) {
            for (SampleRequest request : sample.requests()) {
                if (handler == null) {
                    handler = new ApiGatewayProxyRequestEventFunction(context);
                    token = context.getBean(SecretValues.class).get(SecretName.SERVICE_TOKEN.variables().get(0)).orElse(null);
                }
                APIGatewayProxyResponseEvent response = handler.handleRequest(event(request, token), null);
                answered.add(new PrimingReport.Answered(request, response.getStatusCode()));
            }
            try {
                sample.exercise();
            } catch (Exception | LinkageError e) {
                failures.add(sample.getClass().getSimpleName() + ": " + e.getClass().getSimpleName());
            }
        }
        for (PrimableClient client : context.getBeansOfType(PrimableClient.class)) {
            try {
                client.prime();
            } catch (Exception | LinkageError e) {
                failures.add(client.getClass().getSimpleName() + ": " + e.getClass().getSimpleName());
            }
        }
    }

    /** Closes the pool and forgets the secrets, so neither a socket nor a secret is in the snapshot. */
    public void release() {
        context.findBean(ConnectionPool.class).ifPresent(ConnectionPool::close);
        context.getBean(SecretStore.class).forgetAll();
    }

    private boolean readOnlyStatement() {
        try {
            return context.getBean(Database.class).read(c -> {
                try (var statement = c.createStatement()) {
                    return statement.execute("select 1");
                }
            });
        } catch (RuntimeException e) {
            // The database need not be reachable while the snapshot is taken.
            LOG.info("priming without the database: {}", e.getClass().getSimpleName());
            return false;
        }
    }

    private static APIGatewayProxyRequestEvent event(SampleRequest request, String token) {
        Map<String, String> headers = new HashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (request.body() != null) {
            headers.put("Content-Type", "application/json");
        }
        Map<String, String> query = request.query();
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(request.method())
                .withPath(request.route())
                .withResource(request.route())
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withMultiValueQueryStringParameters(query.isEmpty() ? null : query.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))))
                .withBody(request.body())
                .withIsBase64Encoded(false)
                .withHeaders(headers)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withStage("snapshot").withHttpMethod(request.method()).withPath(request.route())
                        .withRequestId("snapshot-priming"));
    }
}
