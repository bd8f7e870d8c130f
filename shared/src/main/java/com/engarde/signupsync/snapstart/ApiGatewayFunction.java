package com.engarde.signupsync.snapstart;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;

/**
 * Micronaut's API Gateway (REST, payload 1.0) handler, except that singletons are created when first needed,
 * not all at start-up. Micronaut's Lambda builder creates every singleton on the classpath eagerly, and every
 * function's jar carries the whole of shared/: funnel-analytics would build the Posh.VIP receiver, the sync
 * engine and a bus before its first answer. What a function's requests do need is created by its
 * {@link SampleWork} before a SnapStart snapshot, so nothing a restore needs is left lazy.
 * The {@code handler} of every API Gateway function's manifest.
 */
public class ApiGatewayFunction extends ApiGatewayProxyRequestEventFunction {

    /** The Lambda runtime's constructor: builds and starts the application context once per container. */
    public ApiGatewayFunction() {
    }

    /** Over a context that the caller started (tests, the local run). */
    public ApiGatewayFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return super.newApplicationContextBuilder().eagerInitSingletons(false);
    }
}
