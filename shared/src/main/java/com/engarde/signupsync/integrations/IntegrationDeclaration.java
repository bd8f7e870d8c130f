package com.engarde.signupsync.integrations;

/**
 * Implemented once in each vendor package and annotated {@code @AutoService(IntegrationDeclaration.class)}: the
 * compiler then lists it in its module's {@code META-INF/services/com.engarde.signupsync.integrations.IntegrationDeclaration}
 * (merged with any hand-written line), so that {@link Integrations} finds every integration on a classpath (the
 * functions', the local run's, the CDK app's) without a central list naming it.
 */
public interface IntegrationDeclaration {

    Integration integration();
}
