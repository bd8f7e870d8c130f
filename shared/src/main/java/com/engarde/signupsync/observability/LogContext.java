package com.engarde.signupsync.observability;

import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.FunctionManifests;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.MDC;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * What every log line says about the invocation it belongs to, under the field names Powertools for AWS Lambda
 * uses: the service, the function, whether this is the JVM's first invocation, the request id and the
 * correlation id. An invocation puts them into the logging context ({@link #begin}) and takes them out when it
 * ends; the JSON encoder ({@link LambdaFieldsJsonProvider}) writes them on every line, null outside an invocation.
 */
public final class LogContext {

    public static final String SERVICE = "signup-sync";
    public static final String FUNCTION_NAME = "function_name";
    public static final String COLD_START = "cold_start";
    public static final String REQUEST_ID = "function_request_id";
    public static final String CORRELATION_ID = "correlation_id";
    public static final String ROUTE = "route";
    /** What a caller may send as its correlation id; anything else is replaced by the request id. */
    private static final Pattern CORRELATION = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

    private static final AtomicBoolean COLD = new AtomicBoolean(true);
    /** A SnapStart restore is a cold start too, although the snapshot's priming already ran requests. */
    private static final Resource RESTORE = new Resource() {
        @Override
        public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
            // nothing to release
        }

        @Override
        public void afterRestore(org.crac.Context<? extends Resource> context) {
            COLD.set(true);
        }
    };
    private static volatile String defaultFunction;

    static {
        Core.getGlobalContext().register(RESTORE);
    }

    private LogContext() {
    }

    /**
     * The function this process runs: Lambda's {@code AWS_LAMBDA_FUNCTION_NAME}; elsewhere the manifest on the
     * classpath when there is one (a function's tests), else {@code local} (the local run, which serves them all
     * and names each request's function from its route).
     */
    public static String functionName() {
        String name = defaultFunction;
        if (name == null) {
            String lambda = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
            if (lambda != null && !lambda.isBlank()) {
                name = lambda;
            } else {
                List<FunctionManifest> manifests;
                try {
                    manifests = FunctionManifests.onClasspath(LogContext.class.getClassLoader()).all();
                } catch (RuntimeException e) {
                    manifests = List.of();
                }
                name = manifests.size() == 1 ? manifests.get(0).name() : "local";
            }
            defaultFunction = name;
        }
        return name;
    }

    /** Whether Lambda runs this process (so the deployed function's name wins over a route's manifest). */
    public static boolean inLambda() {
        String lambda = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        return lambda != null && !lambda.isBlank();
    }

    /**
     * Starts an invocation's logging context on this thread.
     *
     * @param function      the function serving it (null: {@link #functionName()})
     * @param requestId     Lambda's or API Gateway's request id
     * @param correlationId the caller's correlation id (null or not of a correlation id's form: the request id)
     */
    public static Scope begin(String function, String requestId, String correlationId) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(FUNCTION_NAME, function != null && !inLambda() ? function : functionName());
        fields.put(COLD_START, Boolean.toString(COLD.getAndSet(false)));
        fields.put(REQUEST_ID, requestId);
        fields.put(CORRELATION_ID, correlationId != null && CORRELATION.matcher(correlationId).matches()
                ? correlationId : requestId);
        return new Scope(fields);
    }

    /** The invocation's logging context on one thread; closing it puts back what the thread had before. */
    public static final class Scope implements AutoCloseable {
        private final Map<String, String> fields;
        private final Map<String, String> previous = new LinkedHashMap<>();

        private Scope(Map<String, String> fields) {
            this.fields = fields;
            fields.forEach(this::put);
        }

        /** Adds a field to every line of this invocation (the route, once it is known). */
        public Scope with(String key, String value) {
            fields.put(key, value);
            put(key, value);
            return this;
        }

        /** The same fields on the current thread (a request's answer may be written on another thread). */
        public Scope reenter() {
            return new Scope(new LinkedHashMap<>(fields));
        }

        private void put(String key, String value) {
            previous.putIfAbsent(key, MDC.get(key));
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }

        @Override
        public void close() {
            previous.forEach((key, value) -> {
                if (value == null) {
                    MDC.remove(key);
                } else {
                    MDC.put(key, value);
                }
            });
        }
    }
}
