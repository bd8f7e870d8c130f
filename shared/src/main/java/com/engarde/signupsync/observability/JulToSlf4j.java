package com.engarde.signupsync.observability;

import ch.qos.logback.classic.jul.LevelChangePropagator;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends java.util.logging's records (the PostgreSQL driver's, a test framework's) through Logback, so they are JSON
 * lines with the same fields and masking as every other line; started by logback.xml. The propagated levels keep
 * java.util.logging from building records nobody prints.
 */
public class JulToSlf4j extends LevelChangePropagator {

    @Override
    public void start() {
        setResetJUL(true);
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        super.start();
    }
}
