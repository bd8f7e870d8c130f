package com.engarde.signupsync.testing;

/**
 * Validates a test's exchange against the API document, throwing {@link AssertionError} on a violation. The
 * document is generated where every controller is compiled (the local module), so that module provides the
 * check (a {@link java.util.ServiceLoader} service of its tests); elsewhere {@link ApiExchanges} records the
 * exchanges for it to check later.
 */
public interface ApiExchangeCheck {

    void check(ApiExchange exchange);
}
