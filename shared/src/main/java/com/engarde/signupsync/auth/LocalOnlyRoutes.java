package com.engarde.signupsync.auth;

/**
 * Routes that a runner outside Lambda serves beside the manifests' and opens to anyone: the local run's API
 * document and its Swagger UI page. They are not manifest routes (no function serves them, API Gateway has
 * none), and no function jar holds an implementation, so in AWS every undeclared route still needs the token.
 */
public interface LocalOnlyRoutes {

    /** Whether this runner serves {@code method path} itself, open (GET, and HEAD as GET). */
    boolean opens(String method, String path);
}
