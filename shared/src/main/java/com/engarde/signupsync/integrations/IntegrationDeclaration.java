package com.engarde.signupsync.integrations;

/**
 * Implemented once in each vendor package and named in that module's
 * {@code META-INF/services/com.engarde.signupsync.integrations.IntegrationDeclaration}, so that
 * {@link Integrations} finds every integration on a classpath: the functions', the local run's, the CDK app's.
 */
public interface IntegrationDeclaration {

    Integration integration();
}
